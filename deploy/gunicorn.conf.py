# gunicorn -c deploy/gunicorn.conf.py config.wsgi
import os

bind = "127.0.0.1:8001"  # nginx only (deploy/nginx.conf): X-Forwarded-Proto is nginx's own
workers = 4            # 2 × cores on the 2-core reference server
threads = 2
timeout = 60           # Excel imports and Word exports finish well within this
# No max_requests. With threads (the gthread worker) a worker recycled at max_requests can
# still accept a connection after it decided to stop, and closes it unanswered: the client gets
# a connection reset (gunicorn issue #3038, unfixed). The load test lost 2 of 5,403 requests
# that way. Nothing here leaks memory that recycling would reclaim; a deploy restarts the
# workers anyway (systemctl restart, or HUP), gracefully within graceful_timeout.
graceful_timeout = 60
accesslog = "-"
errorlog = "-"


def on_starting(server):
    """Run Django's system checks, the deploy checks included, once in the master before any
    worker starts: with the development SECRET_KEY, no LVZHI_SM4_KEY, or any other error
    (lvzhi.core.checks) gunicorn exits instead of serving."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    call_command("check", deploy=True, fail_level="ERROR")
