"""The seed article's gold, as anchors: first and last words of each quote, resolved in the text at run time.

The seed article is a publisher's text: it is read from ../shared at run
time and never copied here; these few words only find the quotes in it.
"""

from __future__ import annotations

from summarizer.evaluate import GoldArticle, GoldFigure, GoldStance, anchored_quote


def seed_gold(text: str) -> GoldArticle:
    """The seed's gold: quotes by their first and last words (resolved in the text at run time), stances, the figure."""
    quotes = [
        anchored_quote(text, "leader of the Islamic Revolution", "in Tehran.", speaker="IRNA"),
        anchored_quote(text, "expanding ties", "of the Islamic Republic", after="Khamenei has said ", speaker="Ali Khamenei", kind="mixed"),
        anchored_quote(text, "One of the policies", "with neighbors,", speaker="Ali Khamenei"),
        anchored_quote(text, "friendly and brotherly", "country.", speaker="Iran"),
        anchored_quote(text, "approximately $6 billion", "September 2023.", speaker="IRNA"),
        anchored_quote(text, "Iran expects Qatar", "assets.", speaker="IRNA"),
        anchored_quote(text, "The Emir also referred", "bilateral trade,", speaker="IRNA"),
    ]
    stances = [
        GoldStance(holder="Qatar", target="Hamas", polarity="supports"),
        GoldStance(holder="Iran", target="Hamas", polarity="supports"),
        GoldStance(holder="Turkey", target="Hamas", polarity="supports"),
        GoldStance(holder="Iran", target="Qatar", polarity="supports"),
        GoldStance(holder="Iran", target="United States", polarity="opposes"),
        GoldStance(holder="Iran", target="Palestinians", polarity="supports"),
        GoldStance(holder="Qatar", target="Palestinians", polarity="supports"),
    ]
    return GoldArticle(
        id="seed", text=text, quotes=tuple(quotes), stances=tuple(stances), figures=(GoldFigure(text="$6 billion", value=6e9, unit="USD", kind="money"),)
    )
