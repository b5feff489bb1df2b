# ruff: noqa: E501 - prose: the English strings are keyed by the French sentences as written above
"""Full article bodies, written for the demo (not MMM's own words): the seed gives only teasers.

The seed's teasers stay the teasers (each news item's ``excerpt``, in ``seed.py``); each body
opens with the teaser's words, finished, and goes on. Between them the bodies use every block
type of ``mmm_wagtail.blocks.BodyBlock`` at least once, so the demo shows how each renders:
paragraph, heading, image, quote, embed, document, call to action and news feed. ``IMAGE``,
``DOCUMENT``, ``EMBED`` and ``FEED`` are placeholders the loader replaces with the demo's
image, document, embed URL and feed (``loader.DemoLoader.body``).
"""

IMAGE = "image:"  # + the name of a demo image (demo/media.py)
DOCUMENT = "document"
FEED = "feed"
# OpenStreetMap's map of the Palais des Nations, Geneva, stored as a Wagtail embed by the loader
# (no oEmbed request: the demo works offline).
EMBED = "https://www.openstreetmap.org/#map=16/46.2266/6.1405"


def p(*sentences):
    return ("paragraph", "<p>" + " ".join(sentences) + "</p>")


def heading(text, level="h2"):
    return ("heading", {"text": text, "level": level})


ARTICLES = {
    "mav-transformer-les-defis-de-la-maternite": {
        "first": (
            "formation et un accompagnement personnalisés pour reprendre ou réorienter leur "
            "carrière après la naissance d’un enfant."
        ),
        "blocks": [
            heading("Un assistant virtuel pour les mères"),
            p(
                "Le projet associe des organisations de plusieurs pays européens. Il propose des",
                "modules en ligne, accessibles à tout moment, sur l’organisation du temps, la",
                "négociation avec l’employeur et la valorisation des compétences acquises pendant",
                "les premières années de la maternité.",
            ),
            (IMAGE + "formation", "Une séance de formation du projet MAV (illustration)."),
            p(
                "MMM y apporte l’expérience de ses associations membres et veille à ce que les",
                "outils partent des besoins exprimés par les mères elles-mêmes.",
            ),
            (
                "call_to_action",
                {"text": "Découvrir la délégation Europe", "page": "union-europeenne", "url": ""},
            ),
        ],
    },
    "soutien-aux-enfants-et-aux-familles-en-europe": {
        "first": (
            "Europe”, qui a réuni à Bruxelles des responsables politiques, des chercheurs et des "
            "associations de parents."
        ),
        "blocks": [
            p(
                "Les échanges ont porté sur les critères de qualité des services de soutien aux",
                "familles : accessibilité, continuité, et place donnée aux parents dans leur",
                "conception et leur évaluation.",
            ),
            (
                "quote",
                {
                    "quote": (
                        "Les parents ne sont pas des usagers des services : ils en sont les partenaires."
                    ),
                    "attribution": "Une participante à l’événement",
                },
            ),
            heading("Nos recommandations"),
            p(
                "MMM a rappelé que le soutien aux familles doit reconnaître le travail de soin non",
                "rémunéré, majoritairement assuré par les mères, et en tenir compte dans les",
                "politiques de l’Union.",
            ),
            (DOCUMENT, "Les recommandations de MMM"),
        ],
    },
    "du-local-au-mondial": {
        "first": (
            "souligner les difficultés que rencontrent les mères, MMM a présenté des initiatives "
            "locales qui montrent qu’un meilleur soutien est possible."
        ),
        "blocks": [
            heading("Des exemples venus du terrain"),
            p(
                "Groupes de parole, relais de garde entre voisines, accompagnement à la reprise",
                "d’emploi : les associations membres de MMM ont décrit ce qui fonctionne, et ce",
                "qu’il faudrait pour le généraliser.",
            ),
            heading("Ce que nous demandons", "h3"),
            p(
                "Que les politiques de soins soient conçues avec les mères, financées dans la",
                "durée et évaluées selon leurs effets sur la vie des familles.",
            ),
            ("embed", EMBED),
        ],
    },
    "investir-dans-leducation-et-la-protection-de-la-petite-enfance": {
        "first": "et la tolérance, dès le plus jeune âge.",
        "blocks": [
            p(
                "Notre contribution insiste sur le rôle des parents, premiers éducateurs de",
                "l’enfant, et sur la nécessité de les soutenir pendant cette période.",
            ),
            (
                "quote",
                {
                    "quote": "Ce que l’enfant apprend dans ses premières années, il le garde toute sa vie.",
                    "attribution": "Contribution de MMM",
                },
            ),
            p("MMM recommande des investissements publics dans l’accueil de la petite enfance."),
        ],
    },
    "leducation-des-filles-en-cote-divoire": {
        "first": (
            "à des rencontres avec des élèves, des enseignantes et des mères engagées pour la "
            "scolarisation des filles."
        ),
        "blocks": [
            p(
                "Chaque année de scolarité supplémentaire d’une fille a des effets sur sa santé,",
                "ses revenus et, plus tard, sur l’éducation de ses propres enfants.",
            ),
            heading("Lire aussi"),
            (FEED, "Toute l’actualité des délégations"),
        ],
    },
    "les-equipes-mmm-se-mobilisent-pour-le-droit-a-leducation": {
        "first": "l’Homme, et MMM entend y faire entendre la voix des mères.",
        "blocks": [
            p(
                "Avec d’autres organisations de la société civile, MMM a préparé des propositions",
                "de rédaction pour que le texte mentionne l’éducation de la petite enfance et le",
                "rôle des parents.",
            ),
            (
                "call_to_action",
                {"text": "MMM à l’ONU", "page": "onu", "url": ""},
            ),
        ],
    },
    "les-voix-des-meres-au-conseil-des-droits-de-lhomme": {
        "first": "sur les droits humains, de la santé au travail de soin.",
        "blocks": [
            p(
                "Déclarations écrites et orales, événements parallèles, rencontres avec des",
                "délégations : retour sur une session chargée.",
            ),
            (
                "call_to_action",
                {
                    "text": "Le site de Make Mothers Matter",
                    "page": None,
                    "url": "https://makemothersmatter.org",
                },
            ),
        ],
    },
}


# English bodies of the news items the demo translates (seed.EN_NEWS): the end of the first
# paragraph (after the English teaser's words), and each other string of the body.
EN = {
    "mav-transformer-les-defis-de-la-maternite": {
        "first": "training and personal support to return to work, or change careers, after the birth of a child.",
        "strings": {
            "Un assistant virtuel pour les mères": "A virtual assistant for mothers",
            "Le projet associe des organisations de plusieurs pays européens. Il propose des modules en ligne, "
            "accessibles à tout moment, sur l’organisation du temps, la négociation avec l’employeur et la "
            "valorisation des compétences acquises pendant les premières années de la maternité.": (
                "The project brings together organisations from several European countries. It offers online "
                "modules, available at any time, on organising one's time, negotiating with an employer and "
                "making the most of the skills gained in the first years of motherhood."
            ),
            "Une séance de formation du projet MAV (illustration).": "A MAV training session (illustration).",
            "MMM y apporte l’expérience de ses associations membres et veille à ce que les outils partent des "
            "besoins exprimés par les mères elles-mêmes.": (
                "MMM brings the experience of its member associations and makes sure the tools start from the "
                "needs mothers themselves express."
            ),
            "Découvrir la délégation Europe": "Meet the Europe delegation",
        },
    },
    "du-local-au-mondial": {
        "first": (
            "pointing out the difficulties mothers face, MMM presented local initiatives showing that better "
            "support is possible."
        ),
        "strings": {
            "Des exemples venus du terrain": "Examples from the ground",
            "Groupes de parole, relais de garde entre voisines, accompagnement à la reprise d’emploi : les "
            "associations membres de MMM ont décrit ce qui fonctionne, et ce qu’il faudrait pour le "
            "généraliser.": (
                "Support groups, childcare shared between neighbours, help in returning to work: MMM's member "
                "associations described what works, and what it would take to make it widespread."
            ),
            "Ce que nous demandons": "What we ask for",
            "Que les politiques de soins soient conçues avec les mères, financées dans la durée et évaluées "
            "selon leurs effets sur la vie des familles.": (
                "That care policies be designed with mothers, funded for the long term and assessed by their "
                "effects on families' lives."
            ),
        },
    },
    "les-equipes-mmm-se-mobilisent-pour-le-droit-a-leducation": {
        "first": "Rights Council, and MMM means to make mothers' voices heard there.",
        "strings": {
            "Avec d’autres organisations de la société civile, MMM a préparé des propositions de rédaction pour "
            "que le texte mentionne l’éducation de la petite enfance et le rôle des parents.": (
                "With other civil society organisations, MMM has drafted wording so that the text mentions "
                "early childhood education and the role of parents."
            ),
            "MMM à l’ONU": "MMM at the UN",
        },
    },
}
