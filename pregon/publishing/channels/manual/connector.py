"""The manual channel: a person publishes by hand and marks the delivery published.

There is no network to call. `needs_person` tells the engine never to send it;
should publish() be called anyway it refuses permanently, so nothing is retried.
"""

from pregon.publishing.channels.base import Channel, ChannelError, OutgoingPost, PostResult

NEEDS_PERSON = (
    "Este canal es manual: una persona publica el paquete (texto e imágenes) y lo marca "
    "como publicado con su dirección."
)


class ManualChannel(Channel):
    kind = "manual"
    needs_person = True

    def publish(self, post: OutgoingPost) -> PostResult:
        raise ChannelError(NEEDS_PERSON, permanent=True)

    def test_connection(self) -> str:
        return "Canal manual: no se conecta a ninguna red; una persona publica a mano."
