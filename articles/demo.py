"""Invented demo content for `manage.py seed_demo`: text templates and drawn pictures.

Everything here is fictional: the republic of Veloria, its capital Larchmont, its towns,
parties, companies and people. Articles are built by filling templates with values drawn
from a seeded random generator, so the same seed always gives the same text.
"""

import io
import random
import re

from PIL import Image, ImageDraw, ImageFont, ImageOps

TAG = re.compile(r"<[^>]+>")

CITY = "Larchmont"
COUNTRY = "Veloria"

# Sections in navigation order: (name, description).
SECTIONS = [
    (
        "Politics",
        "City hall, the Assembly and the people who run Veloria: "
        "the votes, the budgets and the decisions behind them.",
    ),
    (
        "War",
        "The conflict on Veloria's eastern border: civil defence, reconstruction "
        "and the people living with it.",
    ),
    ("Business", "Companies, jobs, prices and the economy of Larchmont and the wider republic."),
    ("Society", "Schools, housing, transport, health and everyday life in Larchmont and beyond."),
    ("Culture", "Museums, music, books, film and the arts across Veloria."),
    ("World", "Veloria's neighbours and the wider world, and how events abroad reach home."),
    (
        "Opinion",
        "Comment and argument from our columnists and guest contributors. "
        "The views are the writers' own.",
    ),
    ("Science", "Research, climate, health and technology, explained."),
]

TAGS = [
    "Larchmont",
    "City Council",
    "Elections",
    "Budget",
    "Transport",
    "Energy",
    "Farming",
    "Start-ups",
    "Museums",
    "Weather",
    "Health",
    "Schools",
    "Civil Defence",
    "Diplomacy",
    "Housing",
]

# Staff and contributors. `login` names the demo user linked to the author; `guest`
# marks contributors without a login; `beats` are the sections they usually write for.
AUTHORS = [
    {
        "name": "Marek Halden",
        "role": "Politics Reporter",
        "bio": "Marek Halden covers city hall and the national Assembly. "
        "He previously reported on the regional courts in Kellmar.",
        "links": [
            ("x", "https://x.example.com/marekhalden"),
            ("bluesky", "https://bsky.example.com/profile/marekhalden"),
            ("website", "https://marekhalden.example.org/"),
        ],
        "beats": ["Politics", "World"],
        "login": "reporter",
    },
    {
        "name": "Irena Solberg",
        "role": "Business Editor",
        "bio": "Irena Solberg leads the business desk and writes about prices, jobs and "
        "the companies behind them. She joined the paper from a trade weekly in Saltreach.",
        "links": [
            ("linkedin", "https://linkedin.example.com/in/irena-solberg"),
            ("x", "https://x.example.com/irenasolberg"),
        ],
        "beats": ["Business"],
    },
    {
        "name": "Ana Kovac",
        "role": "Photo Editor",
        "bio": "Ana Kovac runs the Meridian Photo Desk. "
        "She has photographed Veloria's elections, harvests and floods for fifteen years.",
        "links": [
            ("website", "https://anakovac.example.com/"),
            ("mastodon", "https://mastodon.example.org/@anakovac"),
        ],
        "beats": ["Culture"],
    },
    {
        "name": "Tomas Reyne",
        "role": "War Correspondent",
        "bio": "Tomas Reyne reports from Veloria's eastern provinces. "
        "He writes about civil defence, reconstruction and the families who stayed.",
        "links": [
            ("x", "https://x.example.com/tomasreyne"),
            ("bluesky", "https://bsky.example.com/profile/tomasreyne"),
        ],
        "beats": ["War", "World"],
    },
    {
        "name": "Priya Castell",
        "role": "Science Reporter",
        "bio": "Priya Castell writes about research, health and the climate. "
        "She studied marine biology at the University of Larchmont.",
        "links": [
            ("mastodon", "https://mastodon.example.org/@priyacastell"),
            ("website", "https://priyacastell.example.org/"),
        ],
        "beats": ["Science", "Society"],
    },
    {
        "name": "Oskar Vint",
        "role": "Culture Writer",
        "bio": "Oskar Vint reviews exhibitions, concerts and books. "
        "He lives in the Old Quay, above a music shop.",
        "links": [("bluesky", "https://bsky.example.com/profile/oskarvint")],
        "beats": ["Culture"],
    },
    {
        "name": "Dana Whitcombe",
        "role": "Society Reporter",
        "bio": "Dana Whitcombe covers housing, schools and transport in Larchmont. "
        "Before journalism she was a primary school teacher in Brennick.",
        "links": [
            ("x", "https://x.example.com/danawhitcombe"),
            ("linkedin", "https://linkedin.example.com/in/dana-whitcombe"),
        ],
        "beats": ["Society", "Politics"],
    },
    {
        "name": "Felix Arden",
        "role": "World Affairs Correspondent",
        "bio": "Felix Arden follows Veloria's relations with its neighbours. "
        "He has reported from eleven capitals and speaks four languages.",
        "links": [
            ("website", "https://felixarden.example.com/"),
            ("linkedin", "https://linkedin.example.com/in/felix-arden"),
            ("bluesky", "https://bsky.example.com/profile/felixarden"),
        ],
        "beats": ["World", "War"],
    },
    {
        "name": "Lena Marsh",
        "role": "Managing Editor",
        "bio": "Lena Marsh runs the newsroom day to day. "
        "She edits the politics and society pages and writes an occasional column.",
        "links": [("linkedin", "https://linkedin.example.com/in/lena-marsh")],
        "beats": ["Politics", "Society", "Opinion"],
        "login": "editor",
    },
    {
        "name": "Mira Oakes",
        "role": "Opinion Contributor",
        "bio": "Mira Oakes is a housing campaigner and writer based in Millbrook. "
        "Her essays on city life appear here once a month.",
        "links": [
            ("website", "https://miraoakes.example.org/"),
            ("bluesky", "https://bsky.example.com/profile/miraoakes"),
        ],
        "beats": ["Opinion"],
        "guest": True,
    },
    {
        "name": "Jonas Pell",
        "role": "Opinion Contributor",
        "bio": "Jonas Pell teaches economics at the University of Larchmont. "
        "He writes about public money and the cost of living.",
        "links": [("website", "https://jonaspell.example.com/")],
        "beats": ["Opinion"],
        "guest": True,
    },
]

PHOTO_CREDITS = [
    "Photo: Ana Kovac / Meridian Photo Desk",
    "Photo: Lukas Brenner / Veloria Press Agency",
    "Photo: Sefa Arslan for The Meridian",
    "Photo: Meridian Photo Desk",
    "Illustration: Meridian Graphics Desk",
]

VIDEO_URLS = [
    "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
    "https://vimeo.com/76979871",
]

# Values that fill the templates --------------------------------------------------------

DISTRICTS = [
    "Old Quay",
    "Millbrook",
    "Eastgate",
    "Hallam Heights",
    "Stonecross",
    "Riverside",
    "Northfield",
    "Canal Row",
]
TOWNS = ["Brennick", "Dunmore", "Arlen Ford", "Hollin", "Tarrow", "Mossgate", "Wenlow", "Cray"]
REGIONS = ["Kellmar", "Saltreach", "Varno", "Ostava", "Pellin"]
COUNCILLORS = ["Piotr Amsel", "Ruth Kessling", "Daniel Obi", "Maren Tolle", "Samir Haddad"]
MINISTERS = ["Agnes Hollis", "Viktor Lann", "Teodor Marek", "Celia Brandt"]
EXPERTS = ["Dr Ines Caldera", "Professor Leon Ashby", "Dr Yara Nemeth", "Dr Felix Moravec"]
RESIDENTS = [
    "Sofia Lind",
    "Ahmed Karimi",
    "Greta Holm",
    "Joel Mensah",
    "Lucia Ferro",
    "Pavel Strand",
    "Nora Quist",
    "Emil Varga",
]
PARTIES = ["Civic Alliance", "Green Veloria", "Farmers' League", "Reform Bloc"]
STARTUPS = ["Quillgrid", "Larkspur Labs", "Tidewell", "Northlight Systems", "Brightfold"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["March", "April", "May", "June", "September", "October", "November"]


def seeded(seed):
    """A private random generator: demo content, not security."""
    return random.Random(seed)  # noqa: S311


def two(rng, items):
    first, second = rng.sample(items, 2)
    return first, second


def context(rng):
    """One article's fill-in values, so a name means the same person throughout."""
    district, district2 = two(rng, DISTRICTS)
    town, town2 = two(rng, TOWNS)
    councillor, councillor2 = two(rng, COUNCILLORS)
    resident, resident2 = two(rng, RESIDENTS)
    party, party2 = two(rng, PARTIES)
    votes_for = rng.randint(24, 38)
    return {
        "city": CITY,
        "country": COUNTRY,
        "district": district,
        "district2": district2,
        "town": town,
        "town2": town2,
        "region": rng.choice(REGIONS),
        "councillor": councillor,
        "councillor2": councillor2,
        "minister": rng.choice(MINISTERS),
        "expert": rng.choice(EXPERTS),
        "resident": resident,
        "resident2": resident2,
        "age": rng.randint(24, 79),
        "party": party,
        "party2": party2,
        "startup": rng.choice(STARTUPS),
        "day": rng.choice(DAYS),
        "month": rng.choice(MONTHS),
        "n": rng.randint(3, 12),
        "n2": rng.randint(2, 9),
        "big": rng.randint(120, 940),
        "money": rng.randint(180, 640),
        "pct": rng.randint(41, 78),
        "pct_small": f"{rng.uniform(1.1, 4.9):.1f}",
        "thousands": f"{rng.randint(12, 48) * 1000:,}",
        "votes_for": votes_for,
        "votes_against": 61 - votes_for - rng.randint(0, 3),
        "small_money": rng.randint(4, 19),
    }


# Topics ---------------------------------------------------------------------------------
# Each topic: section, tags, `issue` and `people` (noun phrases for the generic templates;
# `light` topics are too slight for analysis or opinion),
# news headlines, story headlines, summaries, lead paragraphs, detail paragraphs,
# quotes as (speaker, words), "what next" list items and a caption for the picture.

TOPICS = [
    {
        "section": "Politics",
        "tags": ["City Council", "Budget", "Larchmont"],
        "issue": "the city budget",
        "people": "councillors",
        "headlines": [
            "{city} council passes {money}m-crown budget after late-night vote",
            "City budget adds {n} bus routes but delays {district} pool repairs",
            "Councillors split over {city} spending plan as deadline nears",
        ],
        "story_headlines": ["Inside the all-night session that settled {city}'s budget"],
        "summaries": [
            "The spending plan for next year passed by {votes_for} votes to {votes_against}, "
            "with extra money for buses and street lighting.",
            "Opposition councillors say the plan leaves {district} waiting another year "
            "for promised repairs.",
        ],
        "leads": [
            "{city} city council approved a {money}m-crown budget for next year on {day} night, "
            "ending a debate that ran past midnight. The plan passed by {votes_for} votes "
            "to {votes_against}.",
            "Councillors in {city} have agreed a spending plan that puts more money into buses "
            "and street lighting while postponing several building projects, including the "
            "long-awaited refurbishment of the {district} swimming pool.",
        ],
        "details": [
            "The largest single increase goes to public transport: the city will add {n} bus "
            "routes and run night services on the two busiest lines from the spring. Street "
            "lighting in {district} and {district2} is to be replaced with low-energy lamps "
            "over the next two years.",
            "Council tax will rise by {pct_small} per cent, the first increase in three years. "
            "Households in the lowest band will pay about {small_money} crowns a month more, "
            "according to the finance department.",
            "The refurbishment of the {district} pool, closed since an inspection found "
            "corroded roof beams, has been pushed back by a year. Officials said tender prices "
            "had come in well above the original estimate.",
            "The budget also sets aside {n2} million crowns for repairs to school buildings and "
            "a small fund for neighbourhood groups, which residents can apply to from next month.",
        ],
        "quotes": [
            (
                "{councillor}, who chairs the finance committee",
                "This is a careful budget for an uncertain year. We have protected the services "
                "people use every day",
            ),
            (
                "opposition councillor {councillor2}",
                "Families in {district} were promised that pool three years ago. Another delay "
                "is hard to explain to them",
            ),
        ],
        "next": [
            "The budget takes effect on 1 January.",
            "Applications to the neighbourhood fund open next month.",
            "A review of the pool project is due in the spring.",
        ],
        "caption": "The council chamber in {city} during the budget debate.",
    },
    {
        "section": "Politics",
        "tags": ["Elections"],
        "issue": "the regional election",
        "people": "campaign volunteers",
        "headlines": [
            "{party} leads early count in {region} regional election",
            "Turnout rises to {pct}% as {region} votes for a new assembly",
            "Recount ordered in {town} after {n}-vote margin",
        ],
        "story_headlines": ["On the doorstep with {people} in {region} province"],
        "summaries": [
            "With most ballots counted, the {party} is ahead but short of a majority, "
            "setting up coalition talks with the {party2}.",
            "Election officials said turnout was the highest in a regional vote for twelve years.",
        ],
        "leads": [
            "The {party} is on course to become the largest group in the {region} regional "
            "assembly, according to early results published overnight, but is likely to fall "
            "short of an outright majority.",
            "Voters in {region} province turned out in larger numbers than expected on {day}, "
            "with queues outside polling stations in {town} and {town2} until the doors closed "
            "at nine in the evening.",
        ],
        "details": [
            "Turnout reached {pct} per cent, up from just over half at the last regional "
            "election. Officials said postal votes had also risen sharply after the registration "
            "process moved online.",
            "The {party2} held its ground in the rural districts, while smaller lists picked up "
            "seats in {town}. A final result is expected once postal ballots have been verified.",
            "In {town2}, the gap between the two leading candidates was so narrow that the "
            "electoral commission ordered a full recount, which will take place under observation "
            "by representatives of every party.",
            "Regional assemblies in {country} run schools, hospitals and local roads, and set "
            "part of the income tax rate, which made housing and health the main themes "
            "of the campaign.",
        ],
        "quotes": [
            (
                "{party} campaign chief {councillor}",
                "People have asked us to lead, and we will talk to anyone who wants "
                "to fix the hospitals",
            ),
            (
                "{resident}, a {age}-year-old voter in {town}",
                "I waited forty minutes, but I would have waited longer. This one felt important",
            ),
        ],
        "next": [
            "Postal ballots are verified over the next three days.",
            "Coalition talks can begin once the result is certified.",
            "The new assembly meets for the first time within a month.",
        ],
        "caption": "Voters queue outside a polling station in {town}.",
    },
    {
        "section": "Politics",
        "tags": ["Larchmont"],
        "issue": "the open-government bill",
        "people": "Assembly members",
        "headlines": [
            "Assembly backs bill to publish ministers' meeting diaries",
            "Ministers' diaries to go online under transparency law",
            "Transparency bill clears first vote despite objections from {party2}",
        ],
        "story_headlines": ["The long road of {country}'s open-government bill"],
        "summaries": [
            "Ministers would have to publish who they meet every month under a bill that passed "
            "its first reading by a wide margin.",
            "Supporters say the change is overdue; critics warn it could slow down "
            "delicate negotiations.",
        ],
        "leads": [
            "{country}'s Assembly has voted to require ministers to publish their meeting "
            "diaries every month, in the biggest change to the country's transparency rules "
            "in two decades.",
            "A bill that would open ministers' diaries to the public passed its first reading "
            "on {day} with support from every group except the {party2}.",
        ],
        "details": [
            "Under the proposal, every meeting with a company, lobby group or foreign "
            "representative would be listed within thirty days, with the names of those present "
            "and the subject discussed.",
            "The bill also gives the information commissioner power to fine departments that "
            "miss deadlines for answering freedom-of-information requests, which campaigners "
            "say are ignored in about a third of cases.",
            "Opponents argued that publishing every meeting could discourage whistle-blowers "
            "and make trade talks harder. An amendment exempting security matters was "
            "accepted without a vote.",
            "The bill now goes to committee, where members will hear evidence from the "
            "information commissioner and from journalists' and business associations.",
        ],
        "quotes": [
            (
                "minister {minister}, who introduced the bill",
                "People have a right to know who their government listens to",
            ),
            (
                "{councillor2} of the {party2}",
                "Nobody is against openness, but this bill was written in a hurry",
            ),
        ],
        "next": [
            "Committee hearings begin next month.",
            "A second vote is expected before the summer recess.",
            "Departments would have a year to prepare once the law passes.",
        ],
        "caption": "The Assembly building in {city}.",
    },
    {
        "section": "War",
        "tags": ["Civil Defence", "Larchmont"],
        "issue": "the new shelter network",
        "people": "civil defence volunteers",
        "headlines": [
            "{city} opens {n} new public shelters in {district}",
            "Civil defence drill brings {district} to a standstill for an hour",
            "Shelter signs go up across {city} as warning system is upgraded",
        ],
        "story_headlines": ["A night with the volunteers who keep {city}'s shelters ready"],
        "summaries": [
            "The underground rooms can hold about {big} people and are equipped with water, "
            "lighting and first-aid kits.",
            "Officials say every resident should now be within ten minutes' walk of a shelter.",
        ],
        "leads": [
            "The city of {city} has opened {n} new public shelters in {district}, converted from "
            "basements and an old metro service tunnel, as part of a civil defence programme "
            "that began last year.",
            "Sirens sounded across {district} at eleven o'clock on {day} as the city held its "
            "largest civil defence exercise so far, stopping trams and emptying "
            "schools for an hour.",
        ],
        "details": [
            "Each shelter has bottled water, battery lighting, a first-aid kit and a radio, "
            "and is checked weekly by a team of trained volunteers. Signs with a white arrow "
            "on a blue background mark the way in.",
            "The city says {pct} per cent of residents now live within ten minutes' walk of a "
            "shelter, up from under half a year ago. The target is full coverage by the end "
            "of next year.",
            "The warning system has also been upgraded: alerts now reach mobile phones in the "
            "affected area within a minute, and the old sirens have been replaced with "
            "louder electronic units.",
            "Schools in {district2} practised moving pupils to shelter in under five minutes. "
            "Teachers said the children were calm and treated it much like a fire drill.",
        ],
        "quotes": [
            (
                "{councillor}, who leads the city's civil defence committee",
                "We hope these rooms are never needed. But if they are, they will be ready",
            ),
            (
                "{resident}, a volunteer warden in {district}",
                "Most evenings it is quiet work: counting torches, checking the water. "
                "That is how it should be",
            ),
        ],
        "next": [
            "A map of all public shelters is on the city website.",
            "Volunteer training sessions run every second Saturday.",
            "The next city-wide drill is planned for the autumn.",
        ],
        "caption": "A newly opened public shelter in {district}.",
    },
    {
        "section": "War",
        "tags": ["Farming", "Civil Defence"],
        "issue": "reconstruction in the east",
        "people": "demining teams",
        "headlines": [
            "Demining teams clear {big} hectares of farmland near {town}",
            "Rebuilt school in {town} reopens to pupils after two years",
            "Farmers return to fields near {town} as clearance work speeds up",
        ],
        "story_headlines": ["Metre by metre: with the demining teams of {region} province"],
        "summaries": [
            "The land will be handed back to farmers in time for spring planting, "
            "the emergency services ministry said.",
            "The work is slow and painstaking, but clearance teams say the pace "
            "has doubled since last year.",
        ],
        "leads": [
            "Clearance teams have declared {big} hectares of farmland near {town} safe for use, "
            "allowing families who left the area to return and prepare fields for planting.",
            "Pupils returned to the rebuilt school in {town} on {day}, two years after the "
            "building was damaged and closed. The new school has a shelter in its basement "
            "and a larger library.",
        ],
        "details": [
            "The teams, made up of specialists from the emergency services and trained "
            "local volunteers, work in rows marked with stakes and tape. Each plot is checked "
            "twice before it is released.",
            "Machines now do much of the heavy work on open ground, while people with detectors "
            "handle the edges of woods and ditches, where machines cannot go.",
            "Farmers in the area say insurance companies have begun offering cover again for "
            "cleared land, which makes it possible to borrow for seed and fuel.",
            "The school's reconstruction was paid for by the regional government with help "
            "from a fund set up by {country}'s neighbours. Work took fourteen months.",
        ],
        "quotes": [
            (
                "{resident}, who farms {n2}0 hectares outside {town}",
                "For two years I looked at this field from the road. This spring I will plant it",
            ),
            (
                "team leader {resident2}",
                "Nobody rushes in this job. The land has to be safe for the children "
                "who will play on it",
            ),
        ],
        "next": [
            "A further {n2} thousand hectares are scheduled for survey this year.",
            "Residents should report suspicious objects to the emergency number.",
            "Cleared areas are listed on the regional government's map.",
        ],
        "caption": "Fields near {town} that were cleared this month.",
    },
    {
        "section": "War",
        "tags": ["Diplomacy"],
        "issue": "the ceasefire process",
        "people": "international monitors",
        "headlines": [
            "Monitors report quiet night along eastern line as talks resume",
            "{country} and Drovnia agree new round of prisoner exchange talks",
            "Ceasefire talks move to neutral venue after two days of delays",
        ],
        "story_headlines": ["Waiting for news: families in {town} and the prisoner talks"],
        "summaries": [
            "Negotiators meet again this week, with the exchange of detained civilians "
            "at the top of the agenda.",
            "International observers said the line of contact had been calm for a fourth day.",
        ],
        "leads": [
            "Negotiators from {country} and Drovnia will meet again this week to discuss a "
            "further exchange of prisoners, officials on both sides said on {day}.",
            "International monitors reported no exchanges of fire along the eastern line "
            "overnight, the fourth quiet night in a row, as diplomats prepared for "
            "a new round of talks.",
        ],
        "details": [
            "The talks are taking place at a neutral venue and are chaired by a mediator from "
            "a group of northern countries. Neither side has commented on the details.",
            "Families of detained civilians have gathered outside the foreign ministry in "
            "{city} every week, asking for news and for the lists of names to be published.",
            "Monitors patrol both sides of the line and publish a short report every morning. "
            "Their mandate was extended for another six months in the spring.",
            "Previous exchanges have brought home {big} people in total, according to the "
            "foreign ministry, most of them civilians detained in the first months.",
        ],
        "quotes": [
            (
                "foreign minister {minister}",
                "Every family deserves to know where their relatives are. That is where we start",
            ),
            (
                "{resident}, whose brother has been missing for a year",
                "Each round of talks gives us hope, and each delay takes a little of it away",
            ),
        ],
        "next": [
            "Talks resume later this week.",
            "Monitors publish daily reports each morning.",
            "A list of returned civilians is expected after the next exchange.",
        ],
        "caption": "Families wait for news outside the foreign ministry in {city}.",
    },
    {
        "section": "Business",
        "tags": ["Start-ups", "Energy"],
        "issue": "{city}'s start-up boom",
        "people": "young engineers",
        "headlines": [
            "{city} start-up {startup} raises {n2}0 million crowns for grid software",
            "{startup} to hire {n}0 engineers as demand for energy software grows",
            "Investors bet on {city}'s start-ups despite cooling market",
        ],
        "story_headlines": ["Inside {startup}, the {city} start-up that outgrew its garage"],
        "summaries": [
            "The company, founded four years ago in a former warehouse in {district}, makes "
            "software that helps power companies balance supply and demand.",
            "The funding round was led by a pension fund and is one of the largest "
            "for a Velorian technology company this year.",
        ],
        "leads": [
            "{startup}, a software company based in {city}'s {district} district, has raised "
            "{n2}0 million crowns from investors to expand its work with electricity networks "
            "across the region.",
            "The {city} start-up {startup} plans to hire {n}0 engineers over the next year "
            "after signing contracts with three regional power companies.",
        ],
        "details": [
            "Its software predicts how much electricity homes and businesses will use hour by "
            "hour, so that networks can store surplus wind and solar power and release it "
            "when demand peaks.",
            "The company employs {big} people, most of them in {city}, and says it has been "
            "profitable for two quarters. It plans to open a second office in {town}.",
            "Investment in Velorian technology companies fell last year, but funds have "
            "continued to back firms working on energy, where public contracts provide "
            "steady income.",
            "The founders met as students at the University of {city} and started the company "
            "with a grant from the city's innovation fund, which is now an investor.",
        ],
        "quotes": [
            (
                "chief executive {resident}",
                "We want to show that world-class software can be built in {city}",
            ),
            (
                "{expert}, who studies technology investment",
                "Energy is one of the few areas where investors still see patient, reliable growth",
            ),
        ],
        "next": [
            "Hiring starts this month, with most roles in {city}.",
            "The {town} office is due to open next year.",
            "The company plans a further funding round in two years.",
        ],
        "caption": "The {startup} offices in {district}.",
    },
    {
        "section": "Business",
        "tags": ["Farming", "Weather"],
        "issue": "this year's grain harvest",
        "people": "grain farmers",
        "headlines": [
            "Grain harvest beats forecasts despite dry spring",
            "Farmers in {region} report record wheat yields",
            "Bumper harvest pushes grain prices to three-year low",
        ],
        "story_headlines": ["Long days in the fields: harvest time in {region} province"],
        "summaries": [
            "Wheat yields rose by about {pct_small} per cent on last year, helped by rain "
            "in early summer.",
            "Good news for bakers and shoppers is less welcome for farmers, who face lower prices.",
        ],
        "leads": [
            "{country}'s grain harvest is set to beat official forecasts, with farmers in "
            "{region} province reporting the highest wheat yields since records began.",
            "A late burst of summer rain has rescued a harvest that many farmers feared would "
            "be poor after the driest spring in a decade, the agriculture ministry said on {day}.",
        ],
        "details": [
            "The ministry expects a total grain harvest of about {n} million tonnes, "
            "{pct_small} per cent more than last year. Barley and maize also did well, while "
            "sunflower yields were slightly down.",
            "Prices at the grain exchange in {city} have fallen to their lowest level in three "
            "years, which should ease bread prices in the shops in the coming months.",
            "Farmers say lower prices will squeeze their margins, as the cost of fuel and "
            "fertiliser remains high. The farmers' union has asked for help with storage.",
            "Much of the crop will be exported through the port at Saltreach, which has added "
            "new grain silos and extended its opening hours for the season.",
        ],
        "quotes": [
            (
                "{resident}, who farms near {town}",
                "In May I thought we would lose half of it. Then the rain came just in time",
            ),
            (
                "agriculture minister {minister}",
                "Our farmers have shown again how much the country can rely on them",
            ),
        ],
        "next": [
            "Final harvest figures are published next month.",
            "The storage support scheme opens to applications in the autumn.",
            "Bread prices are expected to follow grain prices with a delay.",
        ],
        "caption": "Wheat is harvested near {town} in {region} province.",
    },
    {
        "section": "Business",
        "tags": ["Budget"],
        "issue": "the cost of living",
        "people": "shoppers",
        "headlines": [
            "Inflation eases to {pct_small}% as food prices steady",
            "Central bank holds interest rate but signals cut later this year",
            "Rents in {city} rise faster than wages for third year",
        ],
        "story_headlines": ["How {city} families are stretching the weekly shop"],
        "summaries": [
            "Prices rose more slowly last month, but rents and energy bills remain a strain "
            "for many households.",
            "The central bank said it wanted to see more evidence that price rises "
            "were slowing before cutting rates.",
        ],
        "leads": [
            "Inflation in {country} slowed to {pct_small} per cent last month, the lowest "
            "rate for two years, as food prices levelled off and fuel became cheaper.",
            "The central bank of {country} left its main interest rate unchanged on {day}, "
            "but said a cut was likely later in the year if prices kept rising more slowly.",
        ],
        "details": [
            "Food prices were almost flat over the month, helped by a good harvest, while "
            "clothing and household goods became slightly cheaper. Services, including "
            "restaurants and repairs, continued to rise.",
            "Rents in {city} rose by {n} per cent over the past year, faster than average "
            "wages, according to figures from the statistics office. Rents in {district} "
            "rose fastest.",
            "Economists say wages should catch up with prices this year, but households "
            "with large rent or energy bills will take longer to feel the difference.",
            "The central bank's governor said the bank was watching energy prices closely, "
            "as a cold winter could push inflation up again.",
        ],
        "quotes": [
            (
                "{expert}, an economist at the University of {city}",
                "The worst of the price rises is behind us, but rents are a separate problem",
            ),
            (
                "{resident}, a nurse in {district}",
                "The supermarket is a bit easier now. The rent is not",
            ),
        ],
        "next": [
            "The next inflation figures are published next month.",
            "The central bank meets again in six weeks.",
            "The government's rent review is due in the spring.",
        ],
        "caption": "A market in {district}.",
    },
    {
        "section": "Society",
        "tags": ["Transport", "Larchmont"],
        "issue": "the Tamsin Bridge reopening",
        "people": "bridge engineers",
        "headlines": [
            "Tamsin Bridge reopens to traffic after {n}-month repair",
            "Trams return to Tamsin Bridge as repairs finish ahead of schedule",
            "Cyclists get new lane as {city}'s oldest bridge reopens",
        ],
        "story_headlines": ["The people who rebuilt the Tamsin Bridge, bolt by bolt"],
        "summaries": [
            "The bridge over the River Vell carries about {thousands} vehicles a day "
            "and links {district} with the city centre.",
            "The repair cost less than budgeted and the bridge now has a protected cycle lane.",
        ],
        "leads": [
            "The Tamsin Bridge over the River Vell reopened to traffic on {day} morning after "
            "{n} months of repairs, restoring the most direct route between {district} and "
            "the city centre.",
            "Trams crossed the Tamsin Bridge again on {day} for the first time since the "
            "spring, after engineers finished repairs to the deck and the steel arches "
            "two weeks ahead of schedule.",
        ],
        "details": [
            "Engineers replaced the road deck, repainted the arches and fitted new bearings. "
            "The bridge, built more than a century ago, now has a protected cycle lane on "
            "its eastern side.",
            "The work cost {money} million crowns, about a tenth less than budgeted. The city "
            "said mild weather in the winter had allowed crews to work longer hours.",
            "While the bridge was closed, buses took a detour via {district2}, adding up to "
            "twenty minutes to journeys. Shops near the bridge say trade fell by a third.",
            "Weight limits remain in place for lorries, which must still use the ring road. "
            "The city will review the limits after a year of monitoring.",
        ],
        "quotes": [
            (
                "mayor Helena Voss",
                "This bridge is part of the city's story, and now it is ready for "
                "another hundred years",
            ),
            (
                "{resident}, who runs a bakery by the bridge",
                "It has been a long year. Today the customers came back",
            ),
        ],
        "next": [
            "Tram line 4 resumes its normal timetable from Monday.",
            "The cycle lane opens fully once the markings dry.",
            "Weight limits for lorries will be reviewed next year.",
        ],
        "caption": "The Tamsin Bridge over the River Vell.",
    },
    {
        "section": "Society",
        "tags": ["Schools", "Housing"],
        "issue": "the school building programme",
        "people": "teachers",
        "headlines": [
            "{city} schools start term with {n}0 more teachers",
            "New primary school opens in {district} as families move in",
            "Parents in {district2} campaign for school crossing after near miss",
        ],
        "story_headlines": ["First day at {district}'s newest school"],
        "summaries": [
            "The city says every child who applied has a place, but classes in some districts "
            "remain crowded.",
            "The new school has room for {big} pupils and a public library open in the evenings.",
        ],
        "leads": [
            "Schools in {city} began the new term this week with {n}0 more teachers than last "
            "year, after the city raised starting salaries and offered help with rent.",
            "A new primary school opened in {district} on {day}, the first to be built in the "
            "city for eight years, as new housing brings more families to the area.",
        ],
        "details": [
            "Class sizes average {n2}0 pupils or fewer in most districts, but several schools "
            "in {district2} are still teaching in temporary classrooms while extensions are built.",
            "The new school has a gym that local clubs can use in the evenings and a library "
            "that will also serve as the district's public library.",
            "Parents in {district2} have collected more than {big} signatures asking for a "
            "crossing outside the school gates, after a car hit a bollard near a group of "
            "children last month.",
            "Teachers' unions welcomed the extra staff but said more support was needed for "
            "pupils with special needs, where waiting lists for assessments remain long.",
        ],
        "quotes": [
            (
                "head teacher {resident}",
                "The children walked in and went straight to the library. That tells you "
                "everything",
            ),
            (
                "{resident2}, a parent in {district2}",
                "We are not asking for much: a crossing and a lower speed limit",
            ),
        ],
        "next": [
            "Applications for next year open in January.",
            "The city will decide on the crossing request within a month.",
            "Extensions in {district2} are due to finish next summer.",
        ],
        "caption": "The new primary school in {district}.",
    },
    {
        "section": "Society",
        "tags": ["Weather", "Larchmont"],
        "issue": "the autumn storm season",
        "people": "emergency crews",
        "headlines": [
            "Storm warning issued for {region} coast as winds strengthen",
            "Heavy rain floods streets in {district} and closes two tram lines",
            "Clean-up begins after storm brings down trees across {city}",
        ],
        "story_headlines": ["After the storm: a long night with {city}'s emergency crews"],
        "summaries": [
            "Gusts of up to {n}0 kilometres an hour are expected, and ferries to the islands "
            "have been cancelled.",
            "Nobody was hurt, but hundreds of homes lost power for several hours.",
        ],
        "leads": [
            "The weather service has issued an orange warning for the {region} coast, with "
            "gusts of up to {n}0 kilometres an hour expected from {day} evening.",
            "Heavy overnight rain flooded streets in {district}, closing two tram lines "
            "and several underpasses during the morning rush hour.",
        ],
        "details": [
            "Ferries to the islands have been cancelled until the wind drops, and the port "
            "authority has asked small boats to stay in harbour.",
            "About {big} homes in {district} and {district2} lost power for several hours after "
            "trees fell on overhead lines. Supply was restored by the afternoon.",
            "The fire service answered more than {n}0 calls overnight, most of them for fallen "
            "trees and flooded basements. Nobody was seriously hurt.",
            "Forecasters say storms of this strength have become more frequent in the autumn, "
            "and the city is reviewing its drainage plans for low-lying districts.",
        ],
        "quotes": [
            (
                "{resident}, a duty forecaster at the weather service",
                "Secure anything loose in gardens and on balconies, and avoid coastal "
                "paths until Thursday",
            ),
            (
                "fire officer {resident2}",
                "It was a busy night, but people listened to the warnings",
            ),
        ],
        "next": [
            "Warnings are updated every three hours on the weather service website.",
            "Report fallen trees to the city's emergency line.",
            "Ferry operators will announce a restart once winds drop.",
        ],
        "caption": "Storm clouds over {district}.",
    },
    {
        "section": "Culture",
        "tags": ["Museums", "Larchmont"],
        "issue": "the National Museum's map exhibition",
        "light": True,
        "people": "museum curators",
        "headlines": [
            "National Museum opens exhibition of seventeenth-century maps",
            "Queues form for {city} map exhibition on opening weekend",
            "Rare sea chart goes on show in {city} after {n}-year restoration",
        ],
        "story_headlines": ["Behind the glass: how curators prepared the map exhibition"],
        "summaries": [
            "More than {big} maps, sea charts and globes are on show, many for the first time.",
            "The exhibition traces how the coast of {country} was drawn, and redrawn, "
            "over four centuries.",
        ],
        "leads": [
            "The National Museum in {city} has opened its largest exhibition in a decade: "
            "a collection of more than {big} maps, sea charts and globes, many of them "
            "never shown before.",
            "Visitors queued along the museum steps on {day} for the opening weekend of "
            "an exhibition of historic maps, which the museum says is its most popular "
            "show in years.",
        ],
        "details": [
            "The centrepiece is a hand-coloured sea chart of the {region} coast, restored over "
            "{n} years by the museum's conservation team. It shows harbours that have since "
            "silted up and villages that no longer exist.",
            "Several rooms are given to the work of mapmakers who surveyed {country} on foot, "
            "with their notebooks, compasses and measuring chains displayed beside the maps.",
            "A children's room lets visitors draw their own map of {city} on a large table, "
            "and a digital screen compares the old maps with satellite images.",
            "Entry is free on the first Sunday of each month. The exhibition runs until "
            "the end of {month}.",
        ],
        "quotes": [
            (
                "curator {expert}",
                "Every map is an argument about what matters. We wanted visitors to see that",
            ),
            (
                "{resident}, visiting from {town}",
                "I found my grandmother's village on a map from 1680. I did not expect that",
            ),
        ],
        "next": [
            "The exhibition is open daily except Mondays.",
            "Guided tours run every Saturday at eleven.",
            "A catalogue is available in the museum shop.",
        ],
        "caption": "Visitors at the map exhibition in the National Museum.",
    },
    {
        "section": "Culture",
        "tags": ["Larchmont"],
        "issue": "the Old Quay jazz festival",
        "light": True,
        "people": "musicians",
        "headlines": [
            "{city} jazz festival returns to the Old Quay with {n}0 free concerts",
            "Festival organisers add extra night after record ticket sales",
            "Young bands from {town} steal the show at {city} jazz festival",
        ],
        "story_headlines": ["Five nights on the Old Quay: the jazz festival up close"],
        "summaries": [
            "The festival runs for five days on open-air stages along the river, "
            "with most concerts free.",
            "Organisers say more than {thousands} people attended on the first night.",
        ],
        "leads": [
            "The {city} jazz festival returns to the Old Quay this week with {n}0 free "
            "concerts on four open-air stages along the river.",
            "Organisers of the {city} jazz festival have added an extra night after tickets "
            "for the indoor concerts sold out within days.",
        ],
        "details": [
            "This year's programme gives more space to young musicians, with a stage for bands "
            "from {country}'s music schools and a late-night session for new groups.",
            "Cafés and restaurants along the quay are staying open until one in the morning, "
            "and trams on line 2 will run every ten minutes until late.",
            "The festival began thirty years ago as a single concert in a warehouse in "
            "{district}. It is now funded by the city and several local businesses.",
            "Organisers have asked visitors to bring reusable cups, which can be "
            "refilled for free at water points along the river.",
        ],
        "quotes": [
            (
                "festival director {resident}",
                "Jazz belongs on the street, where anyone can stop and listen",
            ),
            (
                "{resident2}, a saxophonist from {town}",
                "Playing on the quay in front of that crowd was the best night of my life",
            ),
        ],
        "next": [
            "The full programme is on the festival website.",
            "Free concerts need no ticket.",
            "Trams on line 2 run late every festival night.",
        ],
        "caption": "A concert on the Old Quay during the jazz festival.",
    },
    {
        "section": "World",
        "tags": ["Diplomacy", "Transport"],
        "issue": "the northern rail agreement",
        "people": "diplomats",
        "headlines": [
            "{country} signs rail agreement with neighbouring Estmark",
            "Northern ministers meet to discuss river shipping and rail links",
            "Night train between {city} and Estmark's capital to return next year",
        ],
        "story_headlines": ["Back on track: the long campaign for a northern night train"],
        "summaries": [
            "The agreement should cut travel time between the two capitals to under six hours.",
            "Ministers also discussed shared rules for cargo ships on the River Vell.",
        ],
        "leads": [
            "{country} and Estmark have signed an agreement to upgrade the rail line between "
            "their capitals, with the aim of cutting the journey to under six hours.",
            "Transport ministers from five northern countries met in {city} on {day} to discuss "
            "river shipping, rail links and shared rules for freight.",
        ],
        "details": [
            "The plan includes electrifying the last diesel section near the border and "
            "building a new station at {town}. Work is due to start in two years.",
            "A night train between the two capitals, which stopped running a decade ago, "
            "will return next year with sleeper carriages bought second-hand and refurbished.",
            "Ministers agreed to harmonise safety inspections for cargo ships on the River "
            "Vell, which currently face different checks at each border.",
            "Business groups welcomed the deal, saying faster freight would help exporters "
            "in {region} province reach northern ports.",
        ],
        "quotes": [
            (
                "transport minister {minister}",
                "Our countries are close on the map. Now they will be close by train",
            ),
            (
                "{expert}, a transport researcher",
                "Rail deals are easy to sign and hard to build. The timetable is ambitious",
            ),
        ],
        "next": [
            "Detailed designs are due next year.",
            "Night train tickets go on sale in the spring.",
            "Ministers meet again in Estmark in six months.",
        ],
        "caption": "A train leaves the central station in {city}.",
    },
    {
        "section": "World",
        "tags": ["Diplomacy", "Energy"],
        "issue": "the regional climate pact",
        "people": "negotiators",
        "headlines": [
            "Neighbours agree shared plan to cut power-station emissions",
            "{country} joins regional pact on offshore wind",
            "Climate summit ends with deal on cross-border power lines",
        ],
        "story_headlines": ["Three days, one deal: inside the regional climate summit"],
        "summaries": [
            "The agreement commits the countries to building new links so that wind power "
            "can be shared across borders.",
            "Environmental groups welcomed the deal but said the deadlines were too distant.",
        ],
        "leads": [
            "{country} and four of its neighbours have agreed to build shared power lines and "
            "offshore wind farms, in a deal struck after three days of talks.",
            "Ministers at a regional climate summit agreed on {day} to cut emissions from "
            "power stations by half within ten years.",
        ],
        "details": [
            "The countries will build {n} new cross-border power lines, so that surplus wind "
            "power in one country can supply its neighbours when demand is high.",
            "An offshore wind zone will be created off the {region} coast, with the first "
            "turbines expected in five years.",
            "The deal includes a fund to help coal-mining towns, including {town}, retrain "
            "workers and attract new industries.",
            "Environmental groups said the targets were welcome but too distant, and called "
            "for a faster timetable for closing the oldest plants.",
        ],
        "quotes": [
            (
                "environment minister {minister}",
                "None of us can do this alone. Together we can do it faster",
            ),
            (
                "{resident}, a campaigner with a regional climate group",
                "It is a good deal with a slow clock",
            ),
        ],
        "next": [
            "Each country must approve the deal in parliament.",
            "Route planning for the power lines starts next year.",
            "The first offshore auction is planned within two years.",
        ],
        "caption": "Wind turbines off the {region} coast.",
    },
    {
        "section": "Science",
        "tags": ["Health"],
        "issue": "the early flu season",
        "people": "nurses",
        "headlines": [
            "Flu vaccine clinics open early as cases rise",
            "Hospitals in {city} prepare for busy winter as flu arrives early",
            "Pharmacies to offer free flu jabs to over-60s from next week",
        ],
        "story_headlines": ["A winter shift on {city}'s busiest hospital ward"],
        "summaries": [
            "Health officials urge older people and those with long-term conditions "
            "to get vaccinated now.",
            "Cases are rising earlier than usual, but hospitals say they have room.",
        ],
        "leads": [
            "Flu vaccine clinics in {city} will open two weeks earlier than planned after "
            "a rise in cases, the public health institute said on {day}.",
            "Pharmacies across {country} will offer free flu vaccinations to everyone over "
            "sixty from next week, as the flu season begins earlier than usual.",
        ],
        "details": [
            "Laboratories recorded {n}0 confirmed cases last week, about twice as many as at "
            "this time last year. Most were mild.",
            "Hospitals have opened extra beds and postponed some planned operations to keep "
            "room for patients with serious infections.",
            "Health officials say the vaccine matches the strains circulating well, and that "
            "it takes about two weeks to give full protection.",
            "Schools have been asked to remind parents to keep children with a fever "
            "at home until they have recovered.",
        ],
        "quotes": [
            (
                "{expert}, of the public health institute",
                "The best time to get the vaccine is now, before the peak",
            ),
            (
                "{resident}, a ward nurse in {district}",
                "We see the same thing every winter. Vaccination really does keep people "
                "out of hospital",
            ),
        ],
        "next": [
            "Book a vaccination at a pharmacy or health centre.",
            "Clinics open on weekdays from eight until eight.",
            "Weekly case figures are published every Thursday.",
        ],
        "caption": "A vaccination clinic in {district}.",
    },
    {
        "section": "Science",
        "tags": ["Weather"],
        "issue": "the comet sighting",
        "light": True,
        "people": "astronomers",
        "headlines": [
            "Observatory on Mount Arel spots new comet",
            "Amateur astronomer in {town} among first to see new comet",
            "Comet should be visible to the naked eye next month, astronomers say",
        ],
        "story_headlines": ["A night on Mount Arel with {country}'s comet hunters"],
        "summaries": [
            "The comet is expected to be brightest in {month}, low in the western sky "
            "after sunset.",
            "It is the first comet discovered from {country} in more than forty years.",
        ],
        "leads": [
            "Astronomers at the Mount Arel observatory have discovered a new comet, the first "
            "to be found from {country} in more than forty years.",
            "A comet discovered last week by astronomers in {country} could be visible to the "
            "naked eye in {month}, if it survives its close pass by the Sun.",
        ],
        "details": [
            "The comet was first seen on images taken by the observatory's survey telescope "
            "and confirmed the following night by an amateur astronomer in {town}.",
            "It is travelling on a long orbit and last passed near the Sun thousands of years "
            "ago. Its tail is already visible in photographs.",
            "Astronomers say the best views will be from dark places away from city lights, "
            "low in the western sky about an hour after sunset.",
            "The observatory will hold open evenings with telescopes on the terrace, "
            "weather permitting.",
        ],
        "quotes": [
            (
                "{expert}, who leads the survey team",
                "We checked the images three times before we allowed ourselves to celebrate",
            ),
            (
                "{resident}, the amateur astronomer in {town}",
                "I have looked at the sky for thirty years. This was the night it looked back",
            ),
        ],
        "next": [
            "Open evenings at the observatory start next month.",
            "Binoculars will help before the comet brightens.",
            "The comet's official name will be announced soon.",
        ],
        "caption": "The night sky above the Mount Arel observatory.",
    },
]

# Generic templates for the longer kinds --------------------------------------------------

ANALYSIS_HEADLINES = [
    "What {issue} really means",
    "Why {issue} matters more than it seems",
    "Five questions about {issue}",
    "The numbers behind {issue}",
    "Who wins and who loses from {issue}",
    "How {issue} could still go wrong",
    "The hidden costs of {issue}",
]
OPINION_HEADLINES = [
    "{Issue} deserves a real debate, not a rushed decision",
    "It is time {city} got serious about {issue}",
    "Don't let {issue} become another missed chance",
    "What everyone is getting wrong about {issue}",
    "We should listen more closely to {people}",
    "{Issue} needs patience, not slogans",
    "Why I changed my mind about {issue}",
    "The quiet lesson of {issue}",
]
ANALYSIS_SUMMARIES = [
    "The headline figures look simple. The detail behind {issue} tells a more complicated story.",
    "A close look at who pays, who benefits and what could still go wrong.",
]
OPINION_SUMMARIES = [
    "{Issue} affects everyone in {city}. It deserves more than a line in a council report.",
    "We keep having the same argument. It is time to try something different.",
]
STORY_SUMMARIES = [
    "We spent a week with {people} to see what {issue} looks like up close.",
    "Behind the headlines about {issue} are people doing careful, patient work.",
]

SUBHEADS = {
    "story": ["An early start", "What people say", "Behind the scenes", "The road ahead"],
    "analysis": ["What the numbers show", "Who gains", "The risks", "What to watch"],
    "opinion": ["The real problem", "A better way", "The cost of waiting", "What to do now"],
}

KIND_PARAGRAPHS = {
    "story": [
        "By seven in the morning the first of the {people} had arrived, coffee in hand, "
        "talking over the plan for the day. Nobody seemed in a hurry, but nobody stood "
        "still either.",
        "{resident}, who is {age}, has done this work for most of their adult life, and "
        "keeps a notebook in a jacket pocket to write down everything, from the weather "
        "to the names of the people met along the way.",
        "The work is rarely dramatic. Most of it is checking, waiting and checking again. "
        "But the people who do it say that is exactly the point.",
        "In the afternoon a group of schoolchildren from {district} stopped to watch. "
        "Their teacher asked questions; the children mostly wanted to know about the "
        "equipment, and whether anyone had ever got lost.",
        "Lunch was soup from a flask, eaten standing up. Conversation turned to football, "
        "to children, to the price of petrol, and only occasionally back to the job.",
        "{resident2} joined the team last year after a factory in {town} closed. "
        "“I did not expect to enjoy it,” {resident2} said. “Now I cannot imagine doing "
        "anything else.”",
        "As the light faded, the group gathered to go over what had been done and what "
        "was left. The list for tomorrow was longer than the list for today.",
        "Ask the {people} what they want readers to understand, and the answers are "
        "modest: patience, a little trust, and the knowledge that things take time.",
        "On the drive back into {city} the radio played old pop songs. Nobody talked much. "
        "It had been a long day, and tomorrow would be another.",
        "There are small rituals: the same café at the same corner, the same joke about "
        "the same broken thermos. They help, one of the team said, when the work is slow.",
        "The office, if it can be called that, is a cabin with a kettle, a map pinned to "
        "the wall and a whiteboard covered in names, dates and arrows.",
        "Not everyone in {district} is convinced. A shopkeeper across the road said the "
        "work had taken too long and cost too much, though he admitted the result looked good.",
        "When the rain came in the afternoon, nobody went home. Jackets were zipped, hoods "
        "went up, and the work carried on at the same steady pace.",
        "Mistakes, the team says, are made when people are tired. So there are breaks every "
        "two hours, whether or not anyone feels they need one.",
        "Families drop by with questions, and sometimes with cake. Every question gets an "
        "answer, even the ones that have been asked a dozen times already.",
        "At the end of the week the team posed for a photograph, a little awkwardly, in "
        "front of what they had built. Then they went back to work.",
    ],
    "analysis": [
        "Start with the figures. On paper, the change looks modest, but small shifts in "
        "{city}'s finances tend to add up over several years, and this one is no exception.",
        "There are three main reasons the debate matters. The first is cost; the second is "
        "timing; the third, and probably the most important, is trust.",
        "Comparisons with other cities are useful but imperfect. {city} has an older housing "
        "stock and a younger population than most, which changes the maths.",
        "The people most affected are rarely the ones in the room when decisions are made. "
        "Surveys suggest that younger renters in {district} pay the largest share of the cost.",
        "Supporters argue that doing nothing would be more expensive in the long run. That "
        "is probably true, but it depends on assumptions that are hard to test in advance.",
        "The risk is less that the plan fails outright than that it slips: a year here, a "
        "budget overrun there, until the original goal is quietly forgotten.",
        "Economists at the University of {city} estimate that the effect on household "
        "budgets will be small on average, but uneven, with larger families hit hardest.",
        "Politically, the timing is awkward. With elections due within two years, few "
        "parties want to be associated with anything that looks like a cost to voters.",
        "What to watch next is the detail: who is consulted, how the money is tracked and "
        "whether progress reports are published on time.",
        "None of this makes the decision simple. It does make it clearer what is at stake, "
        "and who will notice if it goes wrong.",
        "The history is instructive. The last comparable scheme took twice as long as "
        "planned, largely because the early estimates left out the cost of land.",
        "Much depends on the central government, which pays for roughly a third of the "
        "city's capital spending and has signalled that money will be tighter next year.",
        "Critics make a fair point about transparency. The figures published so far are "
        "totals, with little detail on how individual projects were chosen.",
        "There is also a question of capacity. The city's planning department has lost "
        "staff in recent years, and several senior posts remain unfilled.",
        "Public opinion is divided but not polarised. Most residents support the aims; "
        "the disagreement is about pace and about who should pay.",
        "If the plan works, the benefits will arrive slowly and be easy to take for "
        "granted. If it fails, the costs will be visible almost at once.",
    ],
    "opinion": [
        "I have lived in {district} for most of my life, and I have heard this argument many "
        "times. Each time, we are told the answer is just around the corner.",
        "Let me be clear about what I am not saying. Nobody doubts that the people working "
        "on this mean well. The problem is the way decisions are made.",
        "We ask a great deal of {people}, and we give them very little room to explain "
        "what they actually need. That is where we should start.",
        "The cheapest option today is often the most expensive one tomorrow. We know this "
        "from our own homes; we seem to forget it in public life.",
        "There is a better way. Publish the figures, hold the meetings in the evening when "
        "people can attend, and let residents vote on the priorities.",
        "Other cities have tried this, with mixed results. But mixed results are better "
        "than the same results every year.",
        "Some will say this is naive. Perhaps. But cynicism has not fixed a single pothole "
        "in {city}, as far as I know.",
        "My neighbour {resident}, who is {age}, put it better than I can: we do not need "
        "a miracle, only a plan that someone actually follows.",
        "If we get this right, few people will notice. That is the nature of good public "
        "work. If we get it wrong, everyone will.",
        "So here is my request to the council and to all of us: stop waiting for the "
        "perfect moment. It is not coming.",
        "I remember when this was first proposed. My children were at primary school then. "
        "They are at university now, and we are still discussing it.",
        "Nobody enjoys paying more. But we already pay, in time, in stress and in repairs "
        "that would not be needed if the work had been done properly the first time.",
        "It is worth asking who benefits from delay. Usually it is not the people who "
        "turn up to public meetings with their questions written on a napkin.",
        "We are good, in {city}, at complaining. We are less good at turning up. I include "
        "myself in that, and I am trying to do better.",
        "There will be mistakes. There always are. The test is whether we learn from them "
        "in public, or hide them until the next report.",
        "A city is not its buildings or its budget. It is the people who live in it, and "
        "they deserve to be trusted with the truth about the choices ahead.",
    ],
}

OPINION_LIST = [
    "Publish the full figures, district by district.",
    "Hold the public meetings in the evening, when people can come.",
    "Set a deadline, and explain it if it slips.",
]

CONTEXT_PARAGRAPHS = [
    "{city}, a city of about eight hundred thousand people on the River Vell, has grown "
    "quickly over the past decade, with new housing in {district} and {district2}.",
    "The debate is not new. Similar proposals were discussed five years ago but were "
    "shelved after a change of government.",
    "Residents can follow the discussion at public meetings, which are streamed online "
    "and archived on the city website.",
    "Officials say they expect to publish a progress report in {month}, with figures "
    "broken down by district.",
    "Opposition parties have asked for an independent review, arguing that the costs "
    "have not been properly explained.",
    "Across {country}, regional authorities are facing similar choices, and several are "
    "watching closely to see how {city} handles it.",
    "A survey by the statistics office found that {pct} per cent of residents considered "
    "the issue important or very important.",
    "Local businesses have mostly welcomed the plans, though some have asked for more "
    "notice of changes that affect deliveries and opening hours.",
    "The city's auditors will examine the accounts at the end of the year, as they do "
    "for every major programme.",
    "Neighbourhood councils in {district} and {district2} have asked to be consulted "
    "earlier next time, saying they learned of the plans from the newspapers.",
    "The figures published so far are provisional and may change once the final "
    "accounts are approved.",
    "A public consultation drew more than {big} responses, most of them broadly "
    "supportive but with detailed suggestions.",
]


# Names for the extra rows made by `--articles` --------------------------------------------

FIRST_NAMES = [
    "Ada", "Bruno", "Carla", "Dmitri", "Elin", "Farid", "Greta", "Hugo", "Ilse", "Jakub",
    "Karin", "Lars", "Mila", "Nikolai", "Olga", "Pia", "Rafael", "Selma", "Tobias", "Una",
    "Vera", "Willem", "Xenia", "Yusuf", "Zofia", "Anton", "Beata", "Cyril", "Dora", "Erik",
    "Freya", "Gustav", "Hana", "Ivo", "Jana", "Kasper", "Livia", "Magnus", "Nadia", "Oren",
]  # fmt: skip
LAST_NAMES = [
    "Albers", "Brandt", "Corvin", "Dahl", "Eberle", "Falk", "Gorski", "Hartmann", "Ilves",
    "Janssen", "Kral", "Lindqvist", "Moravec", "Novak", "Orlov", "Petrov", "Quist", "Roth",
    "Sandor", "Tamm", "Ulrich", "Varga", "Weiss", "Yilmaz", "Zeman", "Aaltonen", "Berg",
    "Castellan", "Dorn", "Engel", "Fischer", "Greco", "Holm", "Ivanek", "Jovic", "Kessler",
    "Lund", "Mertens", "Nyberg", "Ostrowski",
]  # fmt: skip
EXTRA_ROLES = [
    "Reporter",
    "Senior Reporter",
    "Correspondent",
    "Data Reporter",
    "Sub-editor",
    "Photographer",
    "Columnist",
    "Contributor",
]
EXTRA_SECTIONS = [
    "Sport", "Travel", "Food", "Technology", "Health", "Education", "Environment",
    "Property", "Motoring", "Books", "Music", "Film", "Data", "Investigations",
    "Explainers", "Obituaries", "Letters", "Photography", "Weekend", "Money",
    "Jobs", "Law", "Media", "Religion", "Lifestyle", "Gardening", "Television",
    "Theatre", "Podcasts", "Video", "Puzzles", "Fact Check", "Europe", "Regions",
]  # fmt: skip
TAG_SUBJECTS = [
    "schools", "housing", "transport", "trams", "roads", "budget", "elections", "farming",
    "energy", "water", "health", "hospitals", "police", "courts", "museums", "theatre",
    "music", "football", "parks", "weather", "floods", "tourism", "jobs", "rents",
    "start-ups", "the port", "rail", "cycling", "libraries", "air quality", "wildlife",
    "fishing", "pensions", "taxes", "festivals", "markets", "bridges", "civil defence",
    "universities", "heritage",
]  # fmt: skip


def tag_names():
    """Candidate tag names, plain place-and-subject pairs such as "Brennick schools"."""
    places = [CITY, *DISTRICTS, *TOWNS, *REGIONS, COUNTRY]
    for subject in TAG_SUBJECTS:
        for place in places:
            yield f"{place} {subject}"


def section_names():
    yield from EXTRA_SECTIONS
    for place in [*REGIONS, *TOWNS, *DISTRICTS]:
        yield f"Local: {place}"


def author_names():
    for last in LAST_NAMES:
        for first in FIRST_NAMES:
            yield f"{first} {last}"


# Building an article -------------------------------------------------------------------


def fill(template, values):
    return template.format(**values)


def topic_values(rng, topic):
    values = context(rng)
    issue = fill(topic["issue"], values)
    values.update(issue=issue, Issue=issue[0].upper() + issue[1:], people=topic["people"])
    return values


def headline(rng, topic, kind, values, variant=None):
    """A headline; `variant` picks the template in turn instead of at random."""
    choices = {
        "news": topic["headlines"],
        "story": topic["story_headlines"],
        "analysis": ANALYSIS_HEADLINES,
        "opinion": OPINION_HEADLINES,
    }[kind]
    template = rng.choice(choices) if variant is None else choices[variant % len(choices)]
    return fill(template, values)


def summary(rng, topic, kind, values):
    choices = {
        "news": topic["summaries"],
        "story": topic["summaries"] + STORY_SUMMARIES,
        "analysis": ANALYSIS_SUMMARIES,
        "opinion": OPINION_SUMMARIES,
    }[kind]
    return fill(rng.choice(choices), values)


def quote_paragraph(quote, values):
    speaker, words = quote
    return f"<p>“{fill(words, values)},” said {fill(speaker, values)}.</p>"


def blockquote(quote, values):
    return f"<blockquote><p>“{fill(quote[1], values)}.”</p></blockquote>"


def paragraph(template, values):
    return f"<p>{fill(template, values)}</p>"


def words_in(html_parts):
    return len(TAG.sub(" ", " ".join(html_parts)).split())


def brief_body(rng, topic, values):
    """A short news item: lead, one or two facts, sometimes a quote, 60-150 words."""
    parts = [paragraph(rng.choice(topic["leads"]), values)]
    details = rng.sample(topic["details"], 2)
    parts.append(paragraph(details[0], values))
    if rng.random() < 0.5:
        parts.append(quote_paragraph(rng.choice(topic["quotes"]), values))
    elif words_in(parts) < 90:
        parts.append(paragraph(details[1], values))
    if words_in(parts) < 70:
        parts.append(paragraph(rng.choice(topic["next"]), values))
    return "\n".join(parts)


def long_pool(rng, topic, kind):
    """Paragraph templates a longer piece draws from, in reading order."""
    details = rng.sample(topic["details"], len(topic["details"]))
    own = rng.sample(KIND_PARAGRAPHS[kind], len(KIND_PARAGRAPHS[kind]))
    context_paragraphs = rng.sample(CONTEXT_PARAGRAPHS, len(CONTEXT_PARAGRAPHS))
    if kind == "opinion":
        return own[:3] + details[:2] + own[3:6] + context_paragraphs + own[6:]
    return details[:2] + own[:3] + details[2:] + own[3:6] + context_paragraphs + own[6:]


def long_body(rng, topic, kind, values):
    """A story, analysis or opinion piece of roughly 300-900 words."""
    target = rng.randint(280, 790)
    pool = long_pool(rng, topic, kind)
    subheads = rng.sample(SUBHEADS[kind], len(SUBHEADS[kind]))
    quotes = rng.sample(topic["quotes"], 2)
    parts = [paragraph(rng.choice(topic["leads"]), values), paragraph(pool.pop(0), values)]
    parts.append(quote_paragraph(quotes[0], values))
    while pool and words_in(parts) < target:
        if len(parts) % 4 == 0 and subheads:
            parts.append(f"<h2>{subheads.pop()}</h2>")
        parts.append(paragraph(pool.pop(0), values))
        if len(parts) == 8:
            parts.append(blockquote(quotes[1], values))
    return "\n".join(parts + closing_list(topic, kind, values))


def closing_list(topic, kind, values):
    if kind == "opinion":
        heading, items = "Where to start", OPINION_LIST
    else:
        heading, items = "What happens next", topic["next"]
    lines = "\n".join(f"<li><p>{fill(item, values)}</p></li>" for item in items)
    return [f"<h2>{heading}</h2>", f"<ul>\n{lines}\n</ul>"]


def body_text(rng, topic, kind, values):
    if kind == "news":
        return brief_body(rng, topic, values)
    return long_body(rng, topic, kind, values)


def topics_for(kind):
    if kind in ("analysis", "opinion"):
        return [topic for topic in TOPICS if not topic.get("light")]
    return TOPICS


def article_text(rng, kind, topic=None, variant=None):
    """Headline, standfirst, body and topic for one article of the given kind."""
    topic = topic or rng.choice(topics_for(kind))
    values = topic_values(rng, topic)
    return {
        "title": headline(rng, topic, kind, values, variant),
        "summary": summary(rng, topic, kind, values),
        "body": body_text(rng, topic, kind, values),
        "topic": topic,
        "caption": fill(topic["caption"], values),
    }


# Pictures ------------------------------------------------------------------------------

BACKGROUNDS = [
    (52, 101, 164),
    (46, 139, 87),
    (178, 102, 66),
    (120, 81, 169),
    (200, 150, 60),
    (70, 130, 140),
    (160, 70, 90),
    (90, 100, 110),
]
SKIES = {
    "dawn": ((250, 190, 150), (120, 140, 200)),
    "midday": ((120, 180, 235), (215, 235, 250)),
    "dusk": ((60, 50, 110), (240, 140, 90)),
    "overcast": ((150, 155, 165), (205, 208, 212)),
    "evening": ((20, 30, 70), (110, 90, 150)),
}
SKY_WORDS = {
    "dawn": "at dawn",
    "midday": "under a clear midday sky",
    "dusk": "at dusk",
    "overcast": "under an overcast sky",
    "evening": "late in the evening",
}
SCENES = {
    "skyline": "a city skyline",
    "hills": "rolling hills and fields",
    "river": "a river with a low arched bridge",
    "forest": "a pine forest below a ridge",
}


def initials(name):
    return "".join(word[0] for word in name.split()[:2]).upper()


def shade(colour, factor):
    return tuple(max(0, min(255, int(channel * factor))) for channel in colour)


def jpeg(image, quality=80):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=False)
    return buffer.getvalue()


def vertical_gradient(size, top, bottom):
    gradient = Image.linear_gradient("L").resize(size)
    return ImageOps.colorize(gradient, top, bottom)


def portrait(name, size=400):
    """A square head-and-shoulders illustration with the author's initials, as JPEG."""
    rng = seeded(name)
    background = rng.choice(BACKGROUNDS)
    image = vertical_gradient((size, size), shade(background, 1.25), shade(background, 0.8))
    draw = ImageDraw.Draw(image)
    figure = shade(background, 0.45)
    unit = size / 400
    head = rng.randint(68, 80) * unit
    centre = size / 2
    draw.ellipse((centre - 150 * unit, 275 * unit, centre + 150 * unit, 560 * unit), fill=figure)
    draw.rectangle((centre - 34 * unit, 200 * unit, centre + 34 * unit, 300 * unit), fill=figure)
    draw.ellipse((centre - head, 165 * unit - head, centre + head, 165 * unit + head), fill=figure)
    font = ImageFont.load_default(size=int(54 * unit))
    draw.text((centre, 355 * unit), initials(name), fill=(245, 245, 240), font=font, anchor="mm")
    return jpeg(image)


def hill_points(rng, width, base, height, steps=8):
    points = [(0, base)]
    for step in range(steps + 1):
        x = width * step / steps
        points.append((x, base - rng.uniform(0.2, 1.0) * height))
    points.append((width, base))
    return points


def draw_fields(draw, rng, width, height, horizon, colour):
    vanish = rng.uniform(0.2, 0.8) * width
    edges = sorted(rng.uniform(-width, 2 * width) for _ in range(9))
    for number, (left, right) in enumerate(zip(edges, edges[1:], strict=False)):
        factor = 0.75 if number % 2 else 0.95
        points = [(vanish, horizon), (left, height), (right, height)]
        draw.polygon(points, fill=shade(colour, factor))


def draw_skyline(draw, rng, width, horizon, colour):
    x = 0
    while x < width:
        building = rng.randint(width // 40, width // 14)
        top = horizon - rng.randint(horizon // 8, horizon // 2)
        draw.rectangle((x, top, x + building, horizon), fill=colour)
        for window_y in range(top + 6, horizon - 6, 12):
            if rng.random() < 0.35:
                draw.rectangle((x + 4, window_y, x + 8, window_y + 4), fill=(250, 225, 150))
        x += building + rng.randint(0, width // 60)


def draw_river(draw, rng, width, height, horizon, colour):
    water = shade(colour, 1.6)
    draw.rectangle((0, horizon + (height - horizon) // 3, width, height), fill=water)
    span = width // rng.randint(3, 5)
    deck = horizon + (height - horizon) // 3 - 4
    for start in range(-span // 2, width, span):
        box = (start, deck - span // 4, start + span, deck + span // 4)
        draw.arc(box, 180, 360, fill=shade(colour, 0.5), width=3)
    draw.rectangle((0, deck - 3, width, deck), fill=shade(colour, 0.5))


def draw_forest(draw, rng, width, horizon, colour):
    for _ in range(60):
        x = rng.uniform(0, width)
        tall = rng.uniform(horizon * 0.1, horizon * 0.3)
        half = tall / 3
        points = [(x, horizon - tall), (x - half, horizon + 4), (x + half, horizon + 4)]
        draw.polygon(points, fill=shade(colour, rng.uniform(0.6, 0.9)))


def scene(seed, width=1600, height=900, scale=4):
    """A landscape illustration drawn small and enlarged, as (JPEG bytes, alt text)."""
    rng = seeded(seed)
    small_w, small_h = width // scale, height // scale
    sky_name = rng.choice(sorted(SKIES))
    scene_name = rng.choice(sorted(SCENES))
    horizon = int(small_h * rng.uniform(0.55, 0.7))
    image = vertical_gradient((small_w, horizon), *SKIES[sky_name])
    image = image.crop((0, 0, small_w, small_h))
    draw = ImageDraw.Draw(image)
    sun = rng.uniform(0.1, 0.9) * small_w, rng.uniform(0.15, 0.45) * horizon
    radius = small_h * 0.07
    sun_box = (sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius)
    draw.ellipse(sun_box, fill=(255, 236, 180))
    land = rng.choice(BACKGROUNDS)
    draw.polygon(hill_points(rng, small_w, horizon, horizon * 0.25), fill=shade(land, 0.9))
    ground = vertical_gradient((small_w, small_h - horizon), shade(land, 0.8), shade(land, 0.5))
    image.paste(ground, (0, horizon))
    if scene_name == "hills":
        draw_fields(draw, rng, small_w, small_h, horizon, shade(land, 0.8))
    elif scene_name == "skyline":
        draw_skyline(draw, rng, small_w, horizon, shade(land, 0.45))
    elif scene_name == "river":
        draw_river(draw, rng, small_w, small_h, horizon, land)
    elif scene_name == "forest":
        draw_forest(draw, rng, small_w, horizon, land)
    image = image.resize((width, height), Image.Resampling.BILINEAR)
    alt = f"Illustration of {SCENES[scene_name]} {SKY_WORDS[sky_name]}."
    return jpeg(image), alt


# Corrections and clarifications the demo prints on two live stories: (kind, text).
CORRECTIONS = [
    (
        "correction",
        "An earlier version of this story misspelled the name of a Larchmont city "
        "councillor. It has been corrected.",
    ),
    (
        "clarification",
        "This story has been updated to make clear that the figures quoted are estimates "
        "from the city budget office, not final accounts.",
    ),
]
