"""The public site, mounted at / (namespace ``portal``)."""

from django.urls import path

from fazhi.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.submit_view("help_request"), name="submit-help-request"),
    path(
        "complaint/",
        views.submit_view("business_complaint"),
        name="submit-business-complaint",
    ),
    path("mailbox/", views.submit_view("mailbox_letter"), name="submit-mailbox-letter"),
    path("submitted/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("track/act/<slug:action>/", views.track_act, name="track-act"),
    path("track/end/", views.track_end, name="track-end"),
    path("replies/", views.replies, name="replies"),
]
