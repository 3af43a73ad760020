from lvzhi.legislation.comment_urls import urlpatterns as comment_patterns
from lvzhi.legislation.plan_urls import urlpatterns as plan_patterns
from lvzhi.legislation.registry_urls import urlpatterns as registry_patterns

app_name = "legislation"

urlpatterns = [*registry_patterns, *plan_patterns, *comment_patterns]
