"""Form behaviour every staff form shares."""

from printing.jis import characters_outside_jis


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
    unchanged form does not show up as a change in the history."""

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        return data
