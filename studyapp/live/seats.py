"""A player's seat, kept in a signed cookie: a reload, a dropped connection or a new socket takes the
same seat. The cookie holds the player's id and the seat's secret (``Player.secret``), signed with
the site's key, so a seat can be neither forged nor guessed from another player's."""

from django.core import signing

from .models import Player

SALT = "studyapp.live.seat"
MAX_AGE = 24 * 3600


def cookie_name(game_id: int) -> str:
    return f"live_seat_{game_id}"


def seat_value(player: Player) -> str:
    return signing.dumps([player.pk, player.secret], salt=SALT, compress=False)


def player_from(cookies: dict[str, str], game_id: int) -> Player | None:
    """The seat this browser holds in game ``game_id``, or None (no cookie, a forged or stale one)."""
    raw = cookies.get(cookie_name(game_id))
    if not raw:
        return None
    try:
        player_id, secret = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(player_id, int) or not isinstance(secret, str):
        return None
    return Player.objects.select_related("game").filter(pk=player_id, game_id=game_id, secret=secret).first()
