from django import forms


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                "That code did not match. Check the time on your phone and try the newest code."
            )
        return token
