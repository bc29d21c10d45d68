"""What people read when a network answers with an error: Spanish, saying what
happened and what to do. The network's own code and text follow in parentheses
(the attempt log keeps its whole answer). Every connector words its errors here."""

AUTOMATIC = "No hay que hacer nada: Pregón lo intentará de nuevo solo."


def _with(detail: str, network: str) -> str:
    return f" (Respuesta de {network}: {detail.strip()})" if detail.strip() else ""


def rate_limited(network: str, detail: str) -> str:
    return (
        f"{network} pidió esperar: se alcanzó su límite de solicitudes. {AUTOMATIC}"
        f"{_with(detail, network)}"
    )


def reconnect(network: str, detail: str) -> str:
    return (
        f"{network} ya no acepta las credenciales de la cuenta (vencieron o se revocaron). "
        "Vuelva a conectarla en Publicaciones › Canales; los envíos esperan y saldrán "
        f"solos.{_with(detail, network)}"
    )


def transient(network: str, detail: str) -> str:
    return f"{network} tuvo una falla temporal. {AUTOMATIC}{_with(detail, network)}"


def refused(network: str, detail: str, hint: str = "") -> str:
    what = hint or (
        "Revise el texto, el enlace y las imágenes o el video; corrija y vuelva a enviarlo."
    )
    return f"{network} rechazó la publicación. {what}{_with(detail, network)}"


def nothing_sent(
    network: str, exc: BaseException, step: str = "mientras se subía el archivo"
) -> str:
    """A lost answer before the post itself (media upload, token): nothing is public
    yet, so it is retried, and the words must not read as «maybe published»."""
    cause = exc.__cause__ or exc
    return (
        f"{network} no respondió {step}; todavía no se publicó nada. "
        f"{AUTOMATIC}{_with(type(cause).__name__, network)}"
    )


# Meta's codes with a more precise hint than «revise el contenido».
GRAPH_HINTS = {
    100: "Algún dato no es válido (texto, enlace, imagen o video); revíselo y vuelva a enviarlo.",
    200: "La cuenta no tiene permiso para publicar; vuelva a conectarla con los permisos "
    "de publicación.",
    324: "La imagen no llegó completa o no es una imagen válida; vuelva a enviarla.",
    352: "El video no es válido para Facebook; revise el archivo en el acervo.",
    368: "Meta bloqueó la publicación por sus normas comunitarias; revise el contenido.",
    9004: "Instagram no pudo descargar la imagen: revise que PREGON_PUBLIC_URL sea "
    "accesible desde internet.",
}
