# gunicorn -c deploy/gunicorn.conf.py config.wsgi
bind = "127.0.0.1:8001"
workers = 4            # 2 × cores on the 2-core reference server
threads = 2
timeout = 60           # Excel imports and Word exports finish well within this
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
