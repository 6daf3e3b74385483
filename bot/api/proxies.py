"""Which address a request came from: the peer, or X-Forwarded-For when the peer is a trusted proxy."""

from __future__ import annotations

import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(spec: str) -> tuple[Network, ...]:
    """`BOT_TRUSTED_PROXIES` (comma-separated addresses or CIDRs) as networks.

    Raises:
        ValueError: an entry is neither an address nor a network.
    """
    networks: list[Network] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as e:
            raise ValueError(f"BOT_TRUSTED_PROXIES entry {part!r} is not an address or network") from e
    return tuple(networks)


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy, then X-Forwarded-For read right to left.

    The rightmost entry not added by a trusted proxy is the client; entries left of it could be forged.
    """
    address = peer or "unknown"
    if not forwarded_for or not _is_trusted(address, trusted):
        return address
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        address = hop
        if not _is_trusted(hop, trusted):
            break
    return address


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in trusted)
