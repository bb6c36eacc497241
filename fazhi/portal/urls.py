"""The public site, mounted at / (namespace ``portal``).

Each procedure with an intake declaration (``fazhi/<domain>/intake.py``) gets its form at
``/<slug>/``, named ``portal:submit-<procedure code with hyphens>``.
"""

from django.urls import path

from fazhi.portal import views
from fazhi.portal.public import submit_url_name
from fazhi.procedures.intake import all_intakes

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    *(
        path(f"{intake.slug}/", views.submit_view(intake.procedure), name=submit_url_name(intake))
        for intake in all_intakes()
    ),
    path("submitted/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("track/matter/", views.tracked, name="tracked"),
    path("track/act/<slug:action>/", views.track_act, name="track-act"),
    path("track/file/<int:pk>/", views.track_file, name="track-file"),
    path("track/unsubscribe/", views.track_unsubscribe, name="track-unsubscribe"),
    path("track/end/", views.track_end, name="track-end"),
    path("replies/", views.replies, name="replies"),
]
