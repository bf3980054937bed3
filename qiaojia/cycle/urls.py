app_name = "cycle"
urlpatterns = []
