"""The reference content: ../shared/seed/000_b2b359501ff8f5b6.txt, as structured data.

Texts are the seed's own words. The seed's teasers are cut off mid-word; each teaser (the news
item's excerpt) keeps what the seed gives up to its last whole word (marked with "…"), and the
byte-cut "participÃ" is restored to "participé". The seed's "UN Geneva", an English dateline
on a French item, is "ONU Genève". The bodies are written for the demo (articles.py).
"""

import datetime

INDEX = {
    "slug": "delegations",
    "title": "Les délégations de MMM auprès des Organisations Internationales",
    "intro": (
        "<p>A travers son travail de plaidoyer, Make Mothers Matter cherche à influencer les "
        "politiques afin d’apporter des changements positifs dans la vie des mères.</p>"
        "<p>Travailler avec et pour elles et les associer aux décisions et projets qui les "
        "concernent a des effets bénéfiques sur leurs enfants, leur famille et plus largement "
        "sur la société.</p>"
        "<p>MMM est active auprès de l’Union Européenne, de l’UNESCO et de l’ONU, où elle "
        "bénéficie du statut consultatif général.</p>"
    ),
}

FEED = {
    "slug": "actualite-des-delegations",
    "title": "L'actualité des délégations de MMM",
    "intro": "",
    "item_count": 6,
}

DELEGATIONS = [
    {
        "slug": "union-europeenne",
        "title": "MMM à l'Union européenne",
        "organisation": "Union européenne",
        "acronym": "UE",
        "status": "",
        "locations": "",
        "summary": (
            "MMM influe sur les débats qui se tiennent au niveau européen, qui ont un impact "
            "direct sur les lois et politiques concernant les mères et leurs familles dans les "
            "pays membres."
        ),
        "news_heading": "Actualité de la délégation Europe",
        "news_intro": (
            "Rapports de la Commission, débats au parlement européen, nouvelles directives... "
            "la délégation de MMM à l'UE opportunités pour faire des recommendations de "
            "politiques favorables aux mères et aux familles."
        ),
    },
    {
        "slug": "onu",
        "title": "MMM à l'ONU",
        "organisation": "Organisation des Nations Unies",
        "acronym": "ONU",
        "status": "Statut consultatif général",
        "locations": "New York, Genève, Vienne",
        "summary": (
            "MMM participe aux débats qui se tiennent au niveau global aux Nations Unies à "
            "New York, Genève ou Vienne - en y apportant la perspective des mères"
        ),
        "news_heading": "",
        "news_intro": "",
    },
    {
        "slug": "unesco",
        "title": "MMM à l'UNESCO",
        "organisation": "Organisation des Nations Unies pour l'éducation, la science et la culture",
        "acronym": "UNESCO",
        "status": "",
        "locations": "",
        "summary": (
            "MMM intervient plus particulièrement dans les discussions sur l'éducation et la "
            "paix. MMM favorise également des partenariats entre l'UNESCO et ses associations "
            "membres pour le financement de projets de terrain."
        ),
        "news_heading": "Actualité de l'équipe UNESCO",
        "news_intro": (
            "Déclarations et interventions: MMM défend notamment la responsabilité éducative "
            "de la mère et son role pour la transmission des valeurs et la promotion de la paix."
        ),
    },
]

NEWS = [
    {
        "delegation": "union-europeenne",
        "slug": "mav-transformer-les-defis-de-la-maternite",
        "title": "MAV : Transformer les Défis de la Maternité en Opportunités Professionnelles",
        "date": datetime.date(2024, 12, 14),
        "dateline": "",
        "text": (
            "Nous sommes heureux d'annoncer la participation de MMM au projet MAV (Mom Virtual "
            "Assistant) financé par l'UE, une initiative innovante conçue pour autonomiser les "
            "nouvelles mères en leur fournissant une…"
        ),
        "tags": ["travail", "maternité"],
    },
    {
        "delegation": "union-europeenne",
        "slug": "soutien-aux-enfants-et-aux-familles-en-europe",
        "title": (
            "Soutien aux enfants et aux familles en Europe : garantir aux familles les "
            "meilleurs soins possibles."
        ),
        "date": datetime.date(2024, 12, 5),
        "dateline": "",
        "text": (
            "Nous avons eu le plaisir de coorganiser, en collaboration avec l’Association "
            "Européenne des Parents (EPA), l’événement intitulé “Assurance qualité dans le "
            "soutien aux enfants et aux familles en…"
        ),
        "tags": ["soins", "familles"],
    },
    {
        "delegation": "onu",
        "slug": "du-local-au-mondial",
        "title": "Du local au mondial: des solutions concrètes pour mieux soutenir les mères",
        "date": datetime.date(2024, 12, 16),
        "dateline": "ONU, Genève",
        "image": "geneve",
        "text": (
            "Le groupe de travail sur la discrimination à l'égard des femmes et des filles a "
            "demandé des informations sur les politiques et les programmes de soins dans le "
            "monde entier. En plus de…"
        ),
        "tags": ["soins", "droits humains"],
    },
    {
        "delegation": "onu",
        "slug": "investir-dans-leducation-et-la-protection-de-la-petite-enfance",
        "title": (
            "Investir dans l’éducation et la protection de la petite enfance pour la paix et la tolérance"
        ),
        "date": datetime.date(2024, 12, 2),
        "dateline": "",
        "image": "formation",
        "text": (
            "Répondant à un appel à contribution pour un rapport des Nations Unies, MMM attire "
            "l'attention sur les premières années de l'enfance. Elles constituent une période "
            "charnière pour agir et favoriser la paix…"
        ),
        "tags": ["petite enfance", "éducation", "paix"],
    },
    {
        "delegation": "unesco",
        "slug": "leducation-des-filles-en-cote-divoire",
        "title": (
            "L’éducation des filles en Côte d’Ivoire : pierre angulaire du développement et "
            "de l’autonomisation des mères"
        ),
        "date": datetime.date(2024, 11, 15),
        "dateline": "",
        "image": "ecole",
        "text": (
            "Make Mothers Matter (MMM) s’est rendu en Côte d’Ivoire à l’occasion de la Journée "
            "internationale de la Fille le 14 octobre 2024. Notre représentante auprès de "
            "l’UNESCO, Brigitte Marais, a participé…"
        ),
        "tags": ["éducation"],
    },
    {
        # Datelined UN Geneva and negotiated at the Human Rights Council: an ONU item,
        # listed under UNESCO too (the seed shows it in UNESCO's block).
        "delegation": "onu",
        "related": ["unesco"],
        "slug": "les-equipes-mmm-se-mobilisent-pour-le-droit-a-leducation",
        "title": "Les équipes MMM se mobilisent pour renforcer le droit à l’éducation",
        "date": datetime.date(2024, 6, 19),
        "dateline": "ONU Genève",
        "text": (
            "Une résolution visant à renforcer le droit à l'éducation dans les instruments "
            "juridiques internationaux sera négociée au cours de la 56ème session du Conseil "
            "des droits de…"
        ),
        "tags": ["éducation", "droits humains"],
    },
    {
        "delegation": "onu",
        "slug": "les-voix-des-meres-au-conseil-des-droits-de-lhomme",
        "title": "Les voix des mères au Conseil des Droits de l’Homme",
        "date": datetime.date(2024, 10, 7),
        "dateline": "ONU Genève",
        "text": (
            "Alors que la 57ème session du Conseil des Droits de l'Homme (9 Septembre-11 "
            "Octobre) s'achève, revenons sur nos contributions qui apportaient la perspective "
            "des mères aux multiples discussions…"
        ),
        "tags": ["droits humains"],
    },
]


# English ------------------------------------------------------------------------------------
# The English tree is made through wagtail-localize from these strings: for each French page
# (by slug), its strings (plain text) and their English translation. News items not listed
# stay untranslated, to show the UNTRANSLATED setting at work.

EN_HOME = {
    "home": "home-en",
    "Welcome to your new Wagtail site!": "Welcome to your new Wagtail site!",
}

EN_FEED = {"L'actualité des délégations de MMM": "News from MMM's delegations"}

EN_INDEX = {
    "delegations": "delegations",
    "Les délégations de MMM auprès des Organisations Internationales": (
        "MMM's delegations to international organisations"
    ),
    "A travers son travail de plaidoyer, Make Mothers Matter cherche à influencer les politiques afin "
    "d’apporter des changements positifs dans la vie des mères.": (
        "Through its advocacy work, Make Mothers Matter seeks to influence policies so as to bring "
        "positive change to the lives of mothers."
    ),
    "Travailler avec et pour elles et les associer aux décisions et projets qui les concernent a des "
    "effets bénéfiques sur leurs enfants, leur famille et plus largement sur la société.": (
        "Working with and for mothers, and involving them in the decisions and projects that concern "
        "them, benefits their children, their families and society as a whole."
    ),
    "MMM est active auprès de l’Union Européenne, de l’UNESCO et de l’ONU, où elle bénéficie du statut "
    "consultatif général.": (
        "MMM is active at the European Union, UNESCO and the United Nations, where it holds general "
        "consultative status."
    ),
}

EN_DELEGATIONS = {
    "union-europeenne": {
        "union-europeenne": "european-union",
        "MMM à l'Union européenne": "MMM at the European Union",
        "Union européenne": "European Union",
        "UE": "EU",
        "MMM influe sur les débats qui se tiennent au niveau européen, qui ont un impact direct sur les "
        "lois et politiques concernant les mères et leurs familles dans les pays membres.": (
            "MMM influences the debates held at European level, which have a direct impact on the laws "
            "and policies concerning mothers and their families in the member states."
        ),
        "Actualité de la délégation Europe": "News from the Europe delegation",
        "Rapports de la Commission, débats au parlement européen, nouvelles directives... la délégation "
        "de MMM à l'UE opportunités pour faire des recommendations de politiques favorables aux mères "
        "et aux familles.": (
            "Commission reports, debates in the European Parliament, new directives... MMM's delegation "
            "to the EU seizes every opportunity to recommend policies that support mothers and families."
        ),
    },
    "onu": {
        "onu": "un",
        "MMM à l'ONU": "MMM at the United Nations",
        "Organisation des Nations Unies": "United Nations",
        "ONU": "UN",
        "Statut consultatif général": "General consultative status",
        "New York, Genève, Vienne": "New York, Geneva, Vienna",
        "MMM participe aux débats qui se tiennent au niveau global aux Nations Unies à New York, Genève "
        "ou Vienne - en y apportant la perspective des mères": (
            "MMM takes part in the global debates held at the United Nations in New York, Geneva and "
            "Vienna, bringing the perspective of mothers"
        ),
    },
    "unesco": {
        "unesco": "unesco",
        "MMM à l'UNESCO": "MMM at UNESCO",
        "Organisation des Nations Unies pour l'éducation, la science et la culture": (
            "United Nations Educational, Scientific and Cultural Organization"
        ),
        "UNESCO": "UNESCO",
        "MMM intervient plus particulièrement dans les discussions sur l'éducation et la paix. MMM "
        "favorise également des partenariats entre l'UNESCO et ses associations membres pour le "
        "financement de projets de terrain.": (
            "MMM is particularly involved in discussions on education and peace. It also fosters "
            "partnerships between UNESCO and its member associations to fund projects on the ground."
        ),
        "Actualité de l'équipe UNESCO": "News from the UNESCO team",
        "Déclarations et interventions: MMM défend notamment la responsabilité éducative de la mère et "
        "son role pour la transmission des valeurs et la promotion de la paix.": (
            "Statements and interventions: MMM stands up in particular for the educational "
            "responsibility of mothers and their role in passing on values and promoting peace."
        ),
    },
}

EN_NEWS = {
    "mav-transformer-les-defis-de-la-maternite": {
        "mav-transformer-les-defis-de-la-maternite": "mav-turning-the-challenges-of-motherhood",
        "MAV : Transformer les Défis de la Maternité en Opportunités Professionnelles": (
            "MAV: Turning the Challenges of Motherhood into Career Opportunities"
        ),
        "Nous sommes heureux d'annoncer la participation de MMM au projet MAV (Mom Virtual Assistant) "
        "financé par l'UE, une initiative innovante conçue pour autonomiser les nouvelles mères en leur "
        "fournissant une…": (
            "We are pleased to announce MMM's participation in the EU-funded MAV (Mom Virtual "
            "Assistant) project, an innovative initiative designed to empower new mothers by providing "
            "them with a…"
        ),
    },
    "du-local-au-mondial": {
        "du-local-au-mondial": "from-local-to-global",
        "Du local au mondial: des solutions concrètes pour mieux soutenir les mères": (
            "From local to global: practical solutions to better support mothers"
        ),
        "ONU, Genève": "UN, Geneva",
        "Le groupe de travail sur la discrimination à l'égard des femmes et des filles a demandé des "
        "informations sur les politiques et les programmes de soins dans le monde entier. En plus de…": (
            "The Working Group on discrimination against women and girls asked for information on care "
            "policies and programmes around the world. In addition to…"
        ),
    },
    "les-equipes-mmm-se-mobilisent-pour-le-droit-a-leducation": {
        "les-equipes-mmm-se-mobilisent-pour-le-droit-a-leducation": (
            "mmm-teams-mobilise-for-the-right-to-education"
        ),
        "Les équipes MMM se mobilisent pour renforcer le droit à l’éducation": (
            "MMM teams mobilise to strengthen the right to education"
        ),
        "ONU Genève": "UN, Geneva",
        "Une résolution visant à renforcer le droit à l'éducation dans les instruments juridiques "
        "internationaux sera négociée au cours de la 56ème session du Conseil des droits de…": (
            "A resolution to strengthen the right to education in international legal instruments will "
            "be negotiated during the 56th session of the Human Rights…"
        ),
    },
}

# Tag (as editors type it on French news) -> its English name; slugs are made from the names.
EN_TAGS = {
    "travail": "work",
    "maternité": "motherhood",
    "soins": "care",
    "familles": "families",
    "droits humains": "human rights",
    "petite enfance": "early childhood",
    "éducation": "education",
    "paix": "peace",
}
