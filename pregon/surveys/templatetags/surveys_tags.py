from django import template

register = template.Library()


@register.inclusion_tag("surveys/public/question.html")
def question_field(question, values, errors) -> dict:
    """One question with what the person already typed and its error, if any."""
    name = question.field_name
    given = values.getlist(name) if hasattr(values, "getlist") else values.get(name, [])
    return {"q": question, "given": given, "error": errors.get(name, "")}
