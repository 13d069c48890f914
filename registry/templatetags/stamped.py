from django import template

register = template.Library()


class StampedNode(template.Node):
    def __init__(self, nodelist, name: str, parts):
        self.nodelist, self.name, self.parts = nodelist, name, parts

    def render(self, context) -> str:
        parts = self.parts.resolve(context)
        if not parts:  # None, or a page that passes none
            return self.nodelist.render(context)
        return parts.get(self.name, lambda: self.nodelist.render(context))


@register.tag
def stamped(parser, token):
    """{% stamped "name" parts %}…{% endstamped %}: what it encloses, rendered once per
    change stamp and parts.key (a registry.changes.PageParts, whose key the view that
    passes it makes of everything else the part depends on). None renders it afresh."""
    try:
        _, name, parts = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("{% stamped %} takes a name and the parts.") from None
    nodelist = parser.parse(("endstamped",))
    parser.delete_first_token()
    return StampedNode(nodelist, name.strip("\"'"), parser.compile_filter(parts))
