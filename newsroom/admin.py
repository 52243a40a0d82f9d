"""The newsroom's admin site: Django's, with two-factor sign-in available to every member of
staff and required for the groups named in NEWSROOM_TWO_FACTOR_GROUPS."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm


def two_factor_required(user):
    """Whether `user` must have verified a one-time code before using the admin."""
    groups = settings.NEWSROOM_TWO_FACTOR_GROUPS
    if not groups or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=groups).exists()


class AdminLoginForm(OTPAdminAuthenticationForm):
    """Password, then a code from the authenticator app for accounts that have one.

    Accounts without a confirmed device sign in with their password; if two-factor sign-in
    is required for them, the admin stays closed until they set it up at /staff/two-factor/.
    An account with a single device does not have to pick it from a list.
    """

    def clean_username(self):
        # Django sets the field's max_length without enforcing it; an overlong name would
        # reach authenticate() and the failed-login log, whose column holds 255 characters.
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return username

    def clean_otp(self, user):
        if user is None:
            return
        devices = list(devices_for_user(user, confirmed=True))
        if not devices:
            return
        if not self.cleaned_data.get("otp_device") and len(devices) == 1:
            self.cleaned_data["otp_device"] = devices[0].persistent_id
        super().clean_otp(user)


class NewsroomAdminSite(admin.AdminSite):
    login_form = AdminLoginForm
    login_template = "admin/newsroom_login.html"
    site_header = f"{settings.NEWSROOM_SITE_NAME} newsroom"
    site_title = "Newsroom"
    index_title = "Today's newsroom"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return request.user.is_verified() or not two_factor_required(request.user)

    def each_context(self, request):
        context = super().each_context(request)
        context["two_factor_setup_needed"] = (
            request.user.is_authenticated
            and not request.user.is_verified()
            and two_factor_required(request.user)
        )
        return context
