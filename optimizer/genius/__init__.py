"""GENIUS and GeniusWeb negotiation domains: safe reading, import, export and the fast exact frontier.

::

    dealopt import-genius party-domain.xml party1.xml party2.xml -o party.yaml
    dealopt frontier --genius party-domain.xml party1.xml party2.xml

The semantics, the mapping to an instance and the merge are described in docs/genius.md.
"""
