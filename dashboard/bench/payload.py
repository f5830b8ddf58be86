"""What the server sent a browser for one page load: Streamlit's websocket frames (ForwardMsg
protobufs) summed, by element type and by the screen they are for (containers keyed
`phoneonly_*` / `wideonly_*` are drawn for one kind of screen only, see ui/phone.py)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

SCREENS = ("phoneonly", "wideonly")


@dataclass
class Payload:
    """Bytes of one page load: in all, per element type, per screen-only kind, and message count."""

    total: int = 0
    messages: int = 0
    by_type: Counter = field(default_factory=Counter)
    by_screen: Counter = field(default_factory=Counter)


def _screen(block_id: str) -> str | None:
    return next((s for s in SCREENS if s in block_id), None)


def breakdown(frames: list[bytes]) -> Payload:
    """Sum `frames`; a delta's bytes go to its element's type (or "block"), and to "phoneonly" or
    "wideonly" when it lands inside such a container; other messages count as their own type."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    out = Payload()
    screen_of: dict[tuple, str] = {}  # delta path of a screen-only container -> its kind
    for raw in frames:
        out.total += len(raw)
        out.messages += 1
        msg = ForwardMsg.FromString(raw)
        kind = msg.WhichOneof("type")
        path = tuple(msg.metadata.delta_path)
        if kind == "delta":
            delta = msg.delta
            dkind = delta.WhichOneof("type")
            if dkind == "new_element":
                kind = delta.new_element.WhichOneof("type") or "element"
            elif dkind == "add_block":
                kind = "block"
                s = _screen(delta.add_block.id)
                if s:
                    screen_of[path] = s
            else:
                kind = dkind or "delta"
        out.by_type[kind] += len(raw)
        s = next((screen_of[path[:i]] for i in range(len(path), 0, -1) if path[:i] in screen_of), None)
        if s:
            out.by_screen[s] += len(raw)
    return out


def top_types(p: Payload, n: int = 4) -> str:
    """The `n` element types with the most bytes, as 'type 12.3 kB, …'."""
    return ", ".join(f"{k} {v / 1000:,.1f} kB" for k, v in p.by_type.most_common(n))
