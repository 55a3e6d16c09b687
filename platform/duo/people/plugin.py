"""What the register of candidates adds: the overview's counts of mentors and mentees."""

from duo.core.plugins import CARDS, Plugin
from duo.people.listing import overview_cards

PLUGIN = Plugin(providers=[(CARDS, overview_cards)])
