"""Form behaviour every staff form shares, and the registers' own staff forms."""

from django import forms

from notation.jis import characters_outside_jis, to_jis_x_0208


class JisWarningMixin:
    """Names and free text that leave JIS X 0208 may not print or reach partner systems
    (seed 002, 第9条). Staff are warned next to the field; the save is not refused."""

    jis_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Templates read the warning off the field, next to its input.
        for name, characters in self.jis_warnings().items():
            self.fields[name].jis_warning = (
                f"JIS X 0208 にない文字（{characters}）が含まれています。"
                "印刷や他システムとの連携で正しく表示されないおそれがあります。"
            )

    def jis_warnings(self) -> dict[str, str]:
        warnings = {}
        for name in self.jis_fields:
            value = self[name].value()
            if isinstance(value, str):
                outside = characters_outside_jis(value)
                if outside:
                    warnings[name] = "".join(outside)
        return warnings


class NormalizedNewlinesMixin:
    """Browsers post textarea lines ending in CRLF; stored text uses LF, so that saving an
    unchanged form does not show up as a change in the history. Windows' look-alikes
    (～ －) become their JIS X 0208 characters, as the services store them, so the
    preview shows what will be saved."""

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str):
                value = value.replace("\r\n", "\n").replace("\r", "\n")
                data[name] = to_jis_x_0208(value)
        return data


class OrganizationForm(NormalizedNewlinesMixin, JisWarningMixin, forms.Form):
    """A new 相手方 as section staff add it from a record's page."""

    jis_fields = ("name", "address")

    name = forms.CharField(label="名称", max_length=200)
    address = forms.CharField(label="住所", max_length=200, required=False)
    note = forms.CharField(
        label="備考", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )
    confirm_similar = forms.BooleanField(
        label="似た名称の相手方とは別の相手方として登録する", required=False
    )
