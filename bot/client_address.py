"""The address a request really came from, for throttling log-ins per client.

Behind a TLS proxy every request arrives from the proxy, so counting failures by the peer alone
would let one attacker slow every coordinator down. ``X-Forwarded-For`` is believed only when the
peer is a proxy named in ``HELPLINE_TRUSTED_PROXIES``: anyone else could write any address in it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(text: str) -> tuple[Network, ...]:
    """``10.0.0.2, 172.16.0.0/12, ::1`` as networks; ValueError naming the first bad item."""
    networks = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network; use a comma-separated list "
                             "like 10.0.0.2,172.16.0.0/12") from None
    return tuple(networks)


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address | None, proxies: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_address(peer: str | None, forwarded_for: Sequence[str], proxies: Sequence[Network]) -> str:
    """The peer, unless it is a trusted proxy: then the rightmost address of X-Forwarded-For that
    is not a trusted proxy (the one our own proxies saw; what lies left of it, a client can forge)."""
    here = _address(peer or "")
    if not _trusted(here, proxies):
        return throttle_address(here) if here else (peer or "unknown")
    hops = [hop for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: nothing to its left can be believed, so count the proxy's peer
        if not _trusted(address, proxies):
            return throttle_address(address)
        here = address
    return throttle_address(here) if here else "unknown"


def throttle_address(address: Address) -> str:
    """IPv6 clients get a whole /64 each, so one is counted per /64, not per address."""
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def forwarded_but_untrusted(peer: str | None, forwarded_for: Sequence[str], proxies: Sequence[Network]) -> bool:
    """A request that names a client in X-Forwarded-For from a peer that is not a trusted proxy:
    behind a proxy that HELPLINE_TRUSTED_PROXIES does not name, every client shares one address."""
    return bool(forwarded_for) and not _trusted(_address(peer or ""), proxies)
