"""Original demo content for a fictional newsroom, loaded by `manage.py load_demo`.
Everything here is invented: the outlet, its people and its stories.

The constants are plain data. ``load_demo`` turns SECTIONS into section pages, AUTHORS into
author profiles, EDITORS_NOTE into the support appeal (the ``{supporters}`` token is replaced
by the live number of supporters) and ARTICLES, newest first, into article pages whose
``body`` is a list of ``(block_type, value)`` tuples matching the article StreamField blocks.
"""

from __future__ import annotations

NEWSROOM = {
    "name": "The Hemisphere Ledger",
    "tagline": (
        "Documents-first reporting on public money and private power, from Canada to the Andes."
    ),
    "about": (
        "The Hemisphere Ledger is an independent, reader-funded newsroom that investigates public "
        "money and private power in Canada and Latin America. It was founded in 2019 by three "
        "reporters with a shared inbox and a filing cabinet full of access requests."
    ),
}

SECTIONS = [
    {
        "slug": "canada",
        "title": "Canada",
        "intro": (
            "Accountability reporting on federal and provincial agencies, from public contracts "
            "to the safety of ports, water and care homes."
        ),
    },
    {
        "slug": "latin-america",
        "title": "Latin America",
        "intro": (
            "Investigations into mining, public procurement and elections across Latin America, "
            "often following Canadian money south."
        ),
    },
    {
        "slug": "analysis",
        "title": "Analysis",
        "intro": (
            "Explainers, data reporting and opinion from our editors on what the documents show, "
            "and what they do not."
        ),
    },
]

AUTHORS = [
    {
        "slug": "ines-carvajal",
        "name": "Inés Carvajal",
        "role": "Investigations editor",
        "bio": (
            "Inés Carvajal is the investigations editor of The Hemisphere Ledger and leads its "
            "work on leaked and disclosed documents. She spent eight years as a courts reporter "
            "in Montreal and teaches a public records workshop for early-career journalists."
        ),
        "links": [
            ("Website", "https://example.org/ines-carvajal"),
            ("Secure contact", "https://example.org/contact/ines"),
        ],
        "photo_color": (46, 64, 87),
    },
    {
        "slug": "tobias-learmonth",
        "name": "Tobias Learmonth",
        "role": "Canada correspondent",
        "bio": (
            "Tobias Learmonth covers federal and provincial agencies for The Hemisphere Ledger "
            "from Halifax. He has filed more than 600 access-to-information requests and was a "
            "finalist for the Fundy Prize for Public Service Journalism in 2022."
        ),
        "links": [("Website", "https://example.com/tlearmonth")],
        "photo_color": (140, 90, 60),
    },
    {
        "slug": "renata-ocampo",
        "name": "Renata Ocampo",
        "role": "Latin America correspondent",
        "bio": (
            "Renata Ocampo is the Latin America correspondent of The Hemisphere Ledger, based in "
            "Bogotá. She trained as a statistician and previously built procurement databases for "
            "the Observatorio Andino de Contratación, a civil-society monitoring group."
        ),
        "links": [],
        "photo_color": (88, 120, 78),
    },
]

# Rich text shown as the support appeal; {supporters} is replaced with a live count.
EDITORS_NOTE = {
    "title": "Support independent reporting",
    "body": (
        "<p><b>The Hemisphere Ledger is an independent newsroom funded by its readers.</b> We "
        "have no owner, no advertisers and no paywall, and we answer only to the people who read "
        "us.</p>"
        "<p>Since our founding in 2019 we have filed more than 2,000 access-to-information "
        "requests, published investigations that led to two provincial audits and a federal "
        "review, and followed Canadian money into mines, ports and public contracts across Latin "
        "America.</p>"
        "<p>This work is slow, and it is expensive. Please join the {supporters} consistent "
        "financial supporters who keep it going with a monthly or annual donation. "
        '<a href="/support/">Become a supporter</a> or '
        '<a href="/support/#where-heading">read how we spend the money</a>.</p>'
    ),
}

ARTICLES = [
    # Analysis / opinion, 1 day ago
    {
        "slug": "editorial-extension-rule-closes-public-record",
        "section": "analysis",
        "headline": (
            "Editorial: A proposed 90-day extension rule would quietly close the public record"
        ),
        "dek": (
            "A draft regulation would let federal bodies extend access-to-information deadlines "
            "without explaining why. Small newsrooms, and the people who read them, would pay the "
            "price."
        ),
        "type": "opinion",
        "authors": ["ines-carvajal"],
        "tags": ["access-to-information", "procurement"],
        "days_ago": 1,
        "hero": {
            "alt": (
                "Abstract illustration in slate blue and amber of stacked folders fading into a "
                "horizon"
            ),
            "caption": (
                "The draft rule would let agencies add 90 days to any request with a single form "
                "letter."
            ),
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((52, 73, 102), (214, 150, 58)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>Every investigation we have published since 2019 began with a document "
                    "someone did not want us to read. Most of those documents reached us the slow "
                    "way: through an access-to-information (ATI) request, a 30-day clock and a "
                    "great deal of patience.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>A draft regulation circulated this month by the Treasury Records "
                    "Secretariat (TRS) would make that clock almost meaningless. Under the "
                    "proposal, any federal body could add 90 days to a request by citing "
                    '"operational volume", with no obligation to say what that volume is.</p>'
                ),
            ),
            ("heading", "What the draft actually changes"),
            (
                "paragraph",
                (
                    "<p>Today, an institution that wants more time must explain the delay and, "
                    "for long extensions, notify the oversight commissioner. The draft removes "
                    "the notice requirement for any extension under 120 days and replaces the "
                    "written explanation with a checkbox.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The draft also lets institutions stack extensions. A request extended "
                    "once for volume could be extended again for consultation with another body, "
                    "with each step recorded only in an internal log that requesters never "
                    "see.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    '<p>The TRS says the change will "reduce administrative burden on records '
                    'units that are chronically understaffed". That problem is real. Our own '
                    "requests to port, housing and health agencies routinely sit in queues "
                    "handled by one or two analysts.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>But the answer to understaffing is staff, not silence. A checkbox does "
                    "not process a single page faster; it simply removes the record that a delay "
                    "happened at all.</p>"
                ),
            ),
            (
                "pull_quote",
                (
                    "A checkbox does not process a single page faster; it simply removes the "
                    "record that a delay happened at all."
                ),
            ),
            ("heading", "Who pays for the delay"),
            (
                "paragraph",
                (
                    "<p>Large outlets can absorb a three-month wait. A newsroom of six reporters "
                    "cannot. When our request for inspection statistics at the Port of Halifax "
                    "took 211 days, two of the people who had pointed us to them had already "
                    "changed jobs.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The people most affected are not journalists. They are residents trying "
                    "to learn why their water failed a lead test, or families reading inspection "
                    "reports before choosing a care home. For them, a 90-day extension is often "
                    "the difference between a record and a rumour.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Delay is the most effective redaction there is. It leaves no black bars, "
                        "and nobody can appeal it."
                    ),
                    "attribution": (
                        "A former federal records analyst, speaking to the Ledger on condition of "
                        "anonymity"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    "<p>The consultation on the draft closes at the end of the month. We have "
                    'submitted our <a href="https://example.org/ledger/ati-submission">full '
                    "comments</a>, including response-time data from 412 of our own requests "
                    "since 2021.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>We urge readers to add their own. Tell the Secretariat how long you "
                    "waited, what you were asking for and what the answer, when it finally came, "
                    "was worth.</p>"
                ),
            ),
        ],
        "corrections": [],
    },
    # Latin America / news, 3 days ago
    {
        "slug": "source-boyaca-water-contracts-shared-accountant",
        "section": "latin-america",
        "headline": (
            "Source: Boyacá water contracts went to three firms that share one accountant and one "
            "address"
        ),
        "dek": (
            "A municipal official says contracts worth 6.8 billion pesos were split into small "
            "lots to avoid open tenders. Company filings show the three winning firms list the "
            "same accountant and office."
        ),
        "type": "news",
        "authors": ["renata-ocampo"],
        "tags": ["procurement", "water"],
        "days_ago": 3,
        "hero": {
            "alt": (
                "Abstract illustration in teal and sand of water pipes branching across a hillside"
            ),
            "caption": (
                "The contracts covered pipe replacement and storage tanks in four rural "
                "municipalities."
            ),
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((58, 128, 140), (230, 205, 150)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>Three companies that together won 6.8 billion Colombian pesos (about 2.2 "
                    "million Canadian dollars) in water-system contracts in the department of "
                    "Boyacá over two years list the same accountant and the same office address "
                    "in public company filings, a review by The Hemisphere Ledger has found.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>A municipal official involved in awarding some of the contracts says they "
                    "were deliberately divided into smaller lots to stay below the threshold that "
                    "requires an open public tender. The official spoke on condition of anonymity "
                    "for fear of losing their post.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    '<p>"Each lot was designed to come in just under the limit," the source '
                    'says. "Everyone in the office knew which company would win before the '
                    'invitation went out."</p>'
                ),
            ),
            ("heading", "Eleven contracts, three bidders"),
            (
                "paragraph",
                (
                    "<p>The Ledger analyzed 11 contracts for pipe replacement and storage tanks "
                    "in four rural municipalities, all published on the public contracting portal "
                    "between 2022 and 2024.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>In every case, the only bidders were Hidroandina Servicios SAS, "
                    "Acueductos del Altiplano Ltda and Constructora Río Chicamocha SAS. Each firm "
                    "won at least three lots, and no two of them competed for the same lot more "
                    "than once.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Filings with the chamber of commerce show that all three companies use "
                    "the same certified accountant and list offices on the same floor of a "
                    "building in Tunja, the departmental capital.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The same accountant signed the financial statements each firm submitted "
                    "to show it could carry out the work. In three of the bids, the statements "
                    "contain an identical typing error in a table of fixed assets.</p>"
                ),
            ),
            (
                "pull_quote",
                (
                    '"Everyone in the office knew which company would win before the invitation '
                    'went out."'
                ),
            ),
            ("heading", "Companies deny coordination"),
            (
                "paragraph",
                (
                    "<p>In a phone interview, a legal representative for Hidroandina said the "
                    'firms share an accountant "because there are not many in Tunja who '
                    'specialize in public works" and denied any coordination on bids.</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Contracts below the threshold can be awarded through an abbreviated "
                    "process, with a shorter bidding window and fewer publication requirements. "
                    "In the 11 contracts reviewed, bidders had between three and five working "
                    "days to submit offers.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The other two companies did not respond to written questions sent over a "
                    "week. The departmental comptroller's office said it had received a complaint "
                    'about the contracts in March and that the matter was "under preliminary '
                    'review".</p>'
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "They brought a tank up the hill, took photographs with the mayor and "
                        "left. There has never been water in it."
                    ),
                    "attribution": (
                        "Hernando Pulido, a dairy farmer in one of the four municipalities"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    "<p>Residents of that municipality told the Ledger that the storage tank, "
                    "paid for in 2023, was still not connected to the network this spring. The "
                    '<a href="https://example.org/ledger/boyaca-contracts">contracts and '
                    "filings</a> are available in our document archive.</p>"
                ),
            ),
        ],
        "corrections": [],
    },
    # Canada / news, 5 days ago
    {
        "slug": "documents-show-ontario-housing-agency-unpublished-plan",
        "section": "canada",
        "headline": (
            "Documents show Ontario housing agency paid consultants $4.2 million for a plan it "
            "never published"
        ),
        "dek": (
            "Invoices obtained by the Ledger show the Ontario Residential Renewal Corporation "
            "(ORRC) paid for a 10-year repair strategy in 2022. Tenants are still waiting to see "
            "it."
        ),
        "type": "news",
        "authors": ["tobias-learmonth"],
        "tags": ["housing", "procurement", "access-to-information"],
        "days_ago": 5,
        "hero": {
            "alt": (
                "Abstract illustration in brick red and cream of apartment windows arranged in a "
                "grid"
            ),
            "caption": (
                "The strategy was meant to set repair priorities for more than 9,000 social "
                "housing units."
            ),
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((170, 70, 60), (240, 225, 200)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>A provincial housing agency paid a consulting firm $4.2 million for a "
                    "10-year repair strategy that it has never released to tenants or the public, "
                    "according to invoices and internal memos obtained by The Hemisphere Ledger "
                    "through an access-to-information request.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The Ontario Residential Renewal Corporation (ORRC), which manages more "
                    "than 9,000 social housing units in the province, hired Keswick Strand "
                    "Advisory in early 2022 to assess building conditions and recommend where to "
                    "spend its capital budget.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The documents show Keswick Strand delivered a final report in November "
                    "2022. The ORRC board received a summary in February 2023. No version has "
                    "been published.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Minutes of the February 2023 board meeting, also released to the Ledger, "
                    "record a discussion of the summary that lasted 12 minutes. Directors "
                    '"received the report for information" and took no vote, the minutes '
                    "say.</p>"
                ),
            ),
            ("heading", "A report 'not for circulation'"),
            (
                "paragraph",
                (
                    "<p>A memo from the ORRC's chief operating officer, dated March 2023, "
                    'describes the report as "not for circulation in its current form" because '
                    'its cost estimates "exceed the approved envelope by a wide margin".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The memo does not say what the estimates were. The 84 pages of the report "
                    "released to the Ledger are almost entirely redacted under an exemption for "
                    "advice to officials.</p>"
                ),
            ),
            ("pull_quote", "The 84 pages released to the Ledger are almost entirely redacted."),
            (
                "paragraph",
                (
                    "<p>Invoices show the contract began at $1.6 million and was amended four "
                    "times. Each amendment was approved without a new competition, which the "
                    "corporation's procurement policy allows for \"scope changes to an existing "
                    'engagement".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The largest amendment, for $1.1 million, was signed in September 2022 and "
                    'added what the invoice describes as "scenario modelling for deferred '
                    'maintenance". The final report was delivered two months later.</p>'
                ),
            ),
            ("heading", "Tenants asked for the plan"),
            (
                "quote",
                {
                    "text": (
                        "We were interviewed for that report. We gave them photos of the mould "
                        "and the broken elevators. Then it disappeared."
                    ),
                    "attribution": (
                        "Dolores Achterberg, chair of the Weston Heights Tenants' Council"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    "<p>The Weston Heights Tenants' Council, which represents residents of three "
                    "ORRC buildings in Toronto, formally requested the report in 2023 and again "
                    "this year. Both requests were refused.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Tenants in one of those buildings have gone without a working elevator "
                    "for a combined 19 weeks since 2022, according to maintenance logs the "
                    "council compiled from work orders.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    '<p>In a statement, an ORRC spokesperson said the strategy "informs ongoing '
                    'capital planning" and that the corporation is "committed to transparency '
                    'with tenants". The spokesperson did not say whether the report would ever '
                    "be released.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Keswick Strand Advisory did not respond to a request for comment. Its "
                    'website lists the ORRC engagement among its "featured public-sector '
                    'mandates".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The Ledger has appealed the redactions to the province's information "
                    "commissioner. You can read the "
                    '<a href="https://example.org/ledger/orrc-invoices">invoices and memos</a> '
                    "in our document archive.</p>"
                ),
            ),
        ],
        "corrections": [],
    },
    # Analysis / analysis, 7 days ago
    {
        "slug": "how-we-verify-leaked-documents",
        "section": "analysis",
        "headline": "Reading the redactions: how we verify leaked documents before we publish",
        "dek": (
            "Our recent stories on port inspections and mine spills relied on documents we did "
            "not request. Here is how we decide whether to trust them."
        ),
        "type": "analysis",
        "authors": ["tobias-learmonth"],
        "tags": ["access-to-information", "ports", "mining"],
        "days_ago": 7,
        "hero": {
            "alt": (
                "Abstract illustration in charcoal and yellow of overlapping pages crossed by "
                "black bars"
            ),
            "caption": "Every leaked document we publish goes through the same checklist.",
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((60, 60, 70), (235, 200, 90)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>Readers often ask how we know a document is real. It is a fair question, "
                    "and one we ask ourselves before every story that relies on records we did "
                    "not obtain through an official request.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>This piece explains the process behind our recent reporting on the "
                    '<a href="https://example.org/ledger/agis">Atlantic Gateway Inspection '
                    "Service</a> (AGIS) and on Minera Cerro Blanco in Peru. It is not a "
                    "guarantee. It is a description of how we try to be wrong less often.</p>"
                ),
            ),
            ("heading", "Start with the source, not the file"),
            (
                "paragraph",
                (
                    "<p>Before we look closely at a document, we try to understand how the source "
                    "came to have it. Someone who could plausibly have seen a record in the "
                    "course of their work is a different starting point from someone who received "
                    "it anonymously.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>We confirm employment or role independently wherever we can. When we "
                    'describe a source as "a current inspector", it is because we have verified '
                    "that, not because they told us so.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Where a source has a grievance against an employer, we say so to "
                    "ourselves plainly. A grievance does not make a document false, but it tells "
                    "us which parts of an account need a second, independent check.</p>"
                ),
            ),
            ("heading", "Then test the document against itself"),
            (
                "paragraph",
                (
                    "<p>Internal documents have habits. Reference numbers follow patterns, "
                    "templates change on known dates, and people sign off in consistent ways. We "
                    "compare leaked files with records of the same kind that we obtained "
                    "officially.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>We also examine the file itself. Metadata, fonts and scanning artifacts "
                    "can reveal when and how a document was produced, although a careful forger "
                    "can fake those too, so they are never the only test.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>For the Cerro Blanco logs, two entries matched incident reports the "
                    "company had filed publicly, down to the volume estimates. That did not prove "
                    "the other seven were genuine, but it made a forgery much harder to "
                    "explain.</p>"
                ),
            ),
            (
                "pull_quote",
                "It is not a guarantee. It is a description of how we try to be wrong less often.",
            ),
            (
                "paragraph",
                (
                    "<p>Finally, we ask the people and institutions named to respond, and we tell "
                    "them what we have. Neither the AGIS nor Altiplano Copper Corp. disputed that "
                    "the documents were authentic.</p>"
                ),
            ),
            ("heading", "What we leave out"),
            (
                "paragraph",
                (
                    "<p>We redact the names of junior staff, personal contact details and "
                    "anything that could identify a source by elimination. Sometimes that means "
                    "withholding a detail that would make a story stronger.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Protecting a source is not a favour we do for them. It is the condition "
                        "on which the next source decides to call."
                    ),
                    "attribution": "Inés Carvajal, investigations editor of The Hemisphere Ledger",
                },
            ),
            (
                "paragraph",
                (
                    "<p>If you have documents you think we should see, our "
                    '<a href="https://example.org/ledger/secure-tips">secure tips page</a> '
                    "explains how to reach us without leaving a trail.</p>"
                ),
            ),
        ],
        "corrections": [],
    },
    # Canada / investigation, 10 days ago
    {
        "slug": "source-halifax-inspectors-told-to-clear-containers",
        "section": "canada",
        "headline": (
            "Source: Halifax port inspectors were told to clear flagged containers unopened "
            "during a summer backlog"
        ),
        "dek": (
            "A current inspector says supervisors at the Atlantic Gateway Inspection Service "
            "(AGIS) ordered staff to release high-risk shipments without physical checks. "
            "Internal emails reviewed by the Ledger support the account."
        ),
        "type": "investigation",
        "authors": ["ines-carvajal", "tobias-learmonth"],
        "tags": ["ports", "labour", "access-to-information"],
        "days_ago": 10,
        "hero": {
            "alt": (
                "Abstract illustration in ochre and navy of stacked shipping containers under "
                "floodlights"
            ),
            "caption": (
                "Container traffic through the Port of Halifax rose sharply last summer, "
                "according to terminal operators."
            ),
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((196, 138, 52), (28, 42, 74)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>Supervisors at the Atlantic Gateway Inspection Service (AGIS) instructed "
                    "inspectors at the Port of Halifax to release shipping containers flagged as "
                    "high-risk without opening them during a backlog last summer, according to a "
                    "current inspector and internal emails reviewed by The Hemisphere Ledger.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The inspector, who has worked at the port for more than a decade, spoke "
                    "on condition of anonymity because staff are not authorized to speak to "
                    "reporters and fear losing their jobs. The Ledger has confirmed the source's "
                    "employment and role.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    '<p>"We were told the number that mattered was the dwell time, not the '
                    'seal," the source says. "If a box had been sitting more than 72 hours, you '
                    'signed it out."</p>'
                ),
            ),
            ("heading", "A 72-hour rule that was never written down"),
            (
                "paragraph",
                (
                    "<p>According to the source, the instruction was first given verbally at a "
                    "shift briefing in early July, when volumes at the port's south-end terminal "
                    "were running roughly 30 per cent above the previous year.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Three emails sent between July 14 and August 2, reviewed by the Ledger, "
                    'refer to what one supervisor calls "the 72-hour release". In one, a shift '
                    'lead writes that "anything on the amber list past 72 is to be cleared on '
                    'paper, no exam, per management".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The amber list is the agency's internal category for shipments that its "
                    "risk-scoring software, known internally as TRACE, marks for physical "
                    "examination but not for immediate seizure. It includes containers with "
                    "incomplete manifests and shippers with previous violations.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Each release requires an inspector's signature and badge number. The "
                    'emails show that inspectors were asked to enter "document review" as the '
                    "reason for clearance.</p>"
                ),
            ),
            (
                "pull_quote",
                '"We were told the number that mattered was the dwell time, not the seal."',
            ),
            (
                "paragraph",
                (
                    "<p>The source estimates that between 300 and 400 amber-list containers were "
                    "released unopened over roughly six weeks. The Ledger could not independently "
                    "verify that figure, and the emails do not include totals.</p>"
                ),
            ),
            ("heading", "Inspectors raised concerns"),
            (
                "paragraph",
                (
                    "<p>At least two inspectors objected in writing, the documents show. In a "
                    'message dated July 21, one asks a manager to confirm the instruction "in a '
                    'form I can put on file". The reply, two days later, says only that the '
                    'matter was "discussed at briefing".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    '<p>"People were scared," the source says. "If something had come through '
                    "in those boxes, it would have been our signatures on the release, not "
                    'theirs."</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The source says the instruction was withdrawn in late August, once "
                    "volumes eased, without any written notice.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "The release of any flagged container without examination would be "
                        "contrary to our procedures, and we would expect it to be reported."
                    ),
                    "attribution": "Statement from the Atlantic Gateway Inspection Service",
                },
            ),
            (
                "paragraph",
                (
                    "<p>In its written statement, the AGIS did not say whether the instruction "
                    'had been given. It said container volumes last summer were "exceptional" '
                    'and that staff had been "reminded of standard procedures" in September. '
                    "The agency declined to make a supervisor available for an interview.</p>"
                ),
            ),
            ("heading", "A pattern in the records"),
            (
                "paragraph",
                (
                    "<p>The account matches statistics the Ledger obtained separately through an "
                    "access-to-information request filed in 2023 and answered after 211 days. "
                    "They show that the share of amber-list containers physically examined at "
                    "Halifax fell from 64 per cent in 2021 to 41 per cent in 2022.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>A retired AGIS regional director, who also asked not to be named, said "
                    'dwell-time targets had been "creeping into the inspection side for years". '
                    "You can read the "
                    '<a href="https://example.org/ledger/agis-documents">redacted emails</a> in '
                    "our document archive.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The Maritime Public Inspectors' Association (MPIA), the union "
                    "representing inspectors, said it had filed a grievance over workload in "
                    "August but would not comment on specific instructions.</p>"
                ),
            ),
        ],
        "corrections": [
            {
                "days_after": 1,
                "kind": "update",
                "text": (
                    "After publication, the AGIS said it had opened an internal review of release "
                    "decisions at the Port of Halifax between July and September."
                ),
            },
        ],
    },
    # Latin America / investigation, 12 days ago
    {
        "slug": "documents-show-cerro-blanco-unreported-tailings-spills",
        "section": "latin-america",
        "headline": (
            "Documents show a Toronto-listed miner's Peruvian unit reported two tailings spills. "
            "Staff logged nine"
        ),
        "dek": (
            "Internal incident logs from Minera Cerro Blanco, a subsidiary of Altiplano Copper "
            "Corp., record seven spills that were never reported to regulators. The company says "
            "it logs incidents conservatively."
        ),
        "type": "investigation",
        "authors": ["renata-ocampo", "ines-carvajal"],
        "tags": ["mining", "environment", "water"],
        "days_ago": 12,
        "hero": {
            "alt": (
                "Abstract illustration in copper brown and sage green of a terraced pit beside a "
                "river"
            ),
            "caption": (
                "The Cerro Blanco mine sits above a river used for irrigation by farming "
                "communities downstream."
            ),
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((120, 92, 60), (90, 140, 120)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>Internal logs from a copper mine in southern Peru owned by a "
                    "Toronto-listed company record nine spills of mine tailings over three years, "
                    "seven more than the company reported to regulators, according to documents "
                    "reviewed by The Hemisphere Ledger.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The logs were kept by Minera Cerro Blanco SAC, the Peruvian subsidiary of "
                    "Altiplano Copper Corp. They were provided to the Ledger by a person with "
                    "access to the company's environmental records, who asked not to be named for "
                    "fear of retaliation.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The Ledger checked the documents' format and internal references against "
                    "two incident reports the company did file publicly, and confirmed details of "
                    "three spills with residents who saw them.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Altiplano Copper, whose shares trade on a Canadian exchange, describes "
                    'Cerro Blanco in investor materials as its "flagship asset". The mine '
                    "produced about 38,000 tonnes of copper concentrate last year, according to "
                    "the company's annual report.</p>"
                ),
            ),
            ("heading", "Nine entries, two reports"),
            (
                "paragraph",
                (
                    "<p>The logs cover January 2021 to December 2023. Each entry lists a date, an "
                    'estimated volume, a location on the site and a "notification status". '
                    'Seven of the nine entries are marked "internal only".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The largest unreported spill, logged in February 2022, is estimated at "
                    "1,400 cubic metres of tailings slurry that escaped a pipeline joint and "
                    'reached a drainage channel. The log notes that the channel "connects to the '
                    'river during rain season".</p>'
                ),
            ),
            ("pull_quote", 'Seven of the nine entries are marked "internal only".'),
            (
                "paragraph",
                (
                    "<p>Operators must notify the regional environmental authority within 24 "
                    "hours of any spill that may reach a body of water, the source says. The two "
                    "spills the company did report were both under 50 cubic metres.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The source says staff who logged incidents were never told how "
                    'notification decisions were made. "You wrote it down and it went '
                    'upstairs," the source says. "Most of the time, nothing came back."</p>'
                ),
            ),
            ("heading", "Downstream, a change in the water"),
            (
                "quote",
                {
                    "text": (
                        "In 2022 the water turned grey for two days. The engineers came and told "
                        "us it was mud from the rain."
                    ),
                    "attribution": (
                        "Eulalia Mamani, a farmer in a community downstream of the mine"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    "<p>Residents of two communities downstream told the Ledger they had seen "
                    "discoloured water in early 2022. A community water committee asked the "
                    "company for test results that year. It received a one-page letter saying "
                    'water quality was "within limits".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Altiplano Copper did not dispute the authenticity of the logs. In a "
                    'statement, it said the company "records all incidents conservatively, '
                    'including events that do not meet reporting thresholds" and complies with '
                    "Peruvian law.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The company did not explain why a spill that its own log says reached a "
                    "drainage channel was treated as below the threshold. The Ledger has "
                    'published a <a href="https://example.org/ledger/cerro-blanco-log">redacted '
                    "version of the logs</a>, with employees' personal details removed.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>After publication, the regional environmental authority said it would "
                    "request the company's full incident records for the period covered by the "
                    "logs.</p>"
                ),
            ),
        ],
        "corrections": [
            {
                "days_after": 2,
                "kind": "update",
                "text": (
                    "This story has been updated with a response from the regional environmental "
                    "authority, which said it would request the company's full incident records."
                ),
            },
            {
                "days_after": 3,
                "kind": "correction",
                "text": (
                    "An earlier version of this article gave the wrong month for the largest "
                    "unreported spill. It was logged in February 2022, not March 2022."
                ),
            },
        ],
    },
    # Canada / news, 15 days ago
    {
        "slug": "manitoba-water-board-missed-lead-testing-deadlines",
        "section": "canada",
        "headline": (
            "Manitoba water board missed lead-testing deadlines in 14 communities, internal audit "
            "finds"
        ),
        "dek": (
            "An audit of the Red River Water Services Board (RRWSB) found that tap-water samples "
            "were collected late, or not at all, in 14 of the 38 communities it serves."
        ),
        "type": "news",
        "authors": ["tobias-learmonth"],
        "tags": ["water", "health"],
        "days_ago": 15,
        "hero": {
            "alt": (
                "Abstract illustration in steel blue and pale grey of a tap above concentric "
                "ripples"
            ),
            "caption": "The audit covers sampling between April 2022 and March 2024.",
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((70, 110, 160), (200, 210, 215)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>A regional water utility in Manitoba missed required lead-testing "
                    "deadlines in 14 of the 38 communities it serves over two years, according to "
                    "an internal audit obtained by The Hemisphere Ledger.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The audit, completed in May by the Red River Water Services Board "
                    "(RRWSB), found that samples from homes with suspected lead service lines "
                    "were collected late in nine communities and not collected at all in five "
                    "others during at least one testing period.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The board has not released the audit. A copy was provided to the Ledger "
                    "by a person who received it in the course of their work.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Lead can enter drinking water from older service lines and household "
                    "plumbing, and young children are especially vulnerable to its effects. "
                    "Regular sampling is the main way a utility learns which homes are at "
                    "risk.</p>"
                ),
            ),
            ("heading", "Staff shortages and lost samples"),
            (
                "paragraph",
                (
                    "<p>The audit attributes most of the gaps to staffing. The board's sampling "
                    "team had four vacant positions for most of 2023, and a single technician "
                    "covered communities more than 300 kilometres apart.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>In two cases, the audit says, samples were collected on time but lost "
                    "before reaching the laboratory. One batch was left in a vehicle over a long "
                    "weekend in August.</p>"
                ),
            ),
            (
                "pull_quote",
                "One batch of samples was left in a vehicle over a long weekend in August.",
            ),
            (
                "paragraph",
                (
                    "<p>Of the samples that were tested, 11 exceeded the national guideline for "
                    "lead in drinking water. The audit found that residents at six of those "
                    "addresses were notified more than 60 days after the results came back.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The audit does not name the six addresses or say whether follow-up "
                    "samples were taken. It recommends that the board notify residents within 10 "
                    "business days of any result above the guideline.</p>"
                ),
            ),
            ("heading", "'People deserve to know'"),
            (
                "quote",
                {
                    "text": (
                        "If you have a toddler in that house, 60 days is not an administrative "
                        "delay. It is two months of exposure."
                    ),
                    "attribution": (
                        "Dr. Priya Venkataraman, a pediatrician in Winnipeg who reviewed the "
                        "audit for the Ledger"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    "<p>In a statement, RRWSB chief executive Lorne Whitcombe said the board had "
                    "hired three technicians since the audit and introduced tracking for every "
                    'sample. "We accept the findings and are acting on all of them," he '
                    "said.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The board did not say when it would publish the audit, or whether it had "
                    "told the affected communities that their testing was incomplete.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The province's Office of Drinking Water Standards (ODWS) said it had not "
                    "received a copy of the audit and would request one. Residents can check "
                    "their community's "
                    '<a href="https://example.org/ledger/rrwsb-sampling">sampling record</a> in '
                    "the table we compiled from the audit.</p>"
                ),
            ),
        ],
        "corrections": [],
    },
    # Latin America / news, 18 days ago
    {
        "slug": "internal-report-manzanillo-scanners-unscanned-containers",
        "section": "latin-america",
        "headline": (
            "Internal report: Manzanillo scanning pilot left 2,300 flagged containers unscanned "
            "in its first year"
        ),
        "dek": (
            "A report for the Coordinación Portuaria del Pacífico (CPP) found that new X-ray "
            "scanners at Mexico's busiest container port were out of service for 97 days."
        ),
        "type": "news",
        "authors": ["renata-ocampo"],
        "tags": ["ports", "procurement"],
        "days_ago": 18,
        "hero": {
            "alt": (
                "Abstract illustration in deep teal and coral of a gantry crane over a grid of "
                "containers"
            ),
            "caption": "The scanners were supplied under a contract awarded in 2022.",
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((30, 60, 80), (220, 120, 80)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>A pilot program meant to X-ray every flagged container leaving the port "
                    "of Manzanillo, on Mexico's Pacific coast, left more than 2,300 of them "
                    "unscanned in its first year, according to an internal report reviewed by The "
                    "Hemisphere Ledger.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The report, prepared for the board of the Coordinación Portuaria del "
                    "Pacífico (CPP), which coordinates inspections at several Pacific ports, says "
                    "the two scanners installed for the pilot were out of service for a combined "
                    "97 days.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>During those periods, containers selected for scanning were released "
                    "after a document check, the report says.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Containers are flagged for scanning by a risk model that weighs the cargo "
                    "declaration, the shipper's history and the route. The report does not say "
                    "what the flagged containers were declared to contain.</p>"
                ),
            ),
            ("heading", "A contract without penalties"),
            (
                "paragraph",
                (
                    "<p>The scanners were supplied by Vantor Imaging Systems, a company "
                    "registered in Panama, under a 2022 contract worth 412 million pesos. The "
                    "Ledger obtained the contract through a transparency request.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    '<p>It requires the supplier to repair faults "within a reasonable period" '
                    "but sets no deadline and no financial penalty. A procurement specialist who "
                    'reviewed it for the Ledger called that "unusual for equipment this '
                    'critical".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Three companies bid for the contract. The two losing bids, both from "
                    "firms with scanners already installed in other Latin American ports, offered "
                    "repair guarantees of 72 hours and five days, according to the evaluation "
                    "summary.</p>"
                ),
            ),
            (
                "pull_quote",
                (
                    'The contract asks for repairs "within a reasonable period" but sets no '
                    "deadline and no penalty."
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The longest outage, 41 days, followed a power surge in September 2023. "
                    "The report says a replacement part was shipped from Europe and then held at "
                    "the same port for nine days awaiting clearance.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>A port worker who handled releases during the outages, speaking on "
                    "condition of anonymity, says the queue of containers waiting for scans "
                    '"never really cleared" and that staff were told to prioritize refrigerated '
                    "cargo.</p>"
                ),
            ),
            ("heading", "What the CPP says"),
            (
                "quote",
                {
                    "text": (
                        "The pilot met its principal objective, which was to evaluate the "
                        "technology under real operating conditions."
                    ),
                    "attribution": "Statement from the Coordinación Portuaria del Pacífico",
                },
            ),
            (
                "paragraph",
                (
                    "<p>The CPP said a second phase would include a maintenance agreement with "
                    "guaranteed response times. It did not say whether any of the unscanned "
                    "containers had later been inspected.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Board minutes attached to the report show that the second phase, covering "
                    "two more ports, is expected to go to tender before the end of the year.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Vantor Imaging Systems did not respond to emails sent to the address "
                    "listed in its contract. The "
                    '<a href="https://example.org/ledger/cpp-scanner-contract">contract and '
                    "report</a> are in our document archive.</p>"
                ),
            ),
        ],
        "corrections": [],
    },
    # Canada / analysis, 21 days ago
    {
        "slug": "analysis-northern-mine-permits-consultation",
        "section": "canada",
        "headline": (
            "Analysis: A fast track for northern mine permits moves consultation to the end of "
            "the line"
        ),
        "dek": (
            "Permits from British Columbia's new Northern Resource Permitting Office (NRPO) "
            "arrive in months, not years. Its own files suggest consultation with First Nations "
            "now starts after key decisions are made."
        ),
        "type": "analysis",
        "authors": ["ines-carvajal"],
        "tags": ["mining", "environment"],
        "days_ago": 21,
        "hero": {
            "alt": (
                "Abstract illustration in moss green and wheat of contour lines over a northern "
                "landscape"
            ),
            "caption": (
                "Three projects have been approved under the expedited process since it began."
            ),
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((80, 100, 70), (210, 180, 120)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>When British Columbia created the Northern Resource Permitting Office "
                    "(NRPO) last year, officials promised faster mine permits without weaker "
                    "protections. A year in, the permits are certainly faster.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Three projects have been approved under the office's expedited stream, "
                    "with a median of seven months from application to decision. Under the "
                    "previous process, comparable approvals took more than three years.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The three projects are a copper and gold mine, a graphite mine and the "
                    "expansion of an existing nickel operation. Together they are expected to "
                    "create about 1,100 construction jobs, according to the applications.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Documents obtained by The Hemisphere Ledger suggest that part of the time "
                    "saved came from changing when consultation with affected First Nations "
                    "happens.</p>"
                ),
            ),
            ("heading", "Decision first, conversation after"),
            (
                "paragraph",
                (
                    "<p>NRPO files for the three approvals show that the office issued what it "
                    'calls a "conditional determination" on each project before formal '
                    "consultation meetings began. In two cases, the first meeting took place more "
                    "than six weeks after that determination.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The office says a conditional determination is not a permit and can be "
                    "revised. But internal guidance included in the files tells staff that "
                    'revisions after that stage should be "limited to mitigation measures", not '
                    "whether a project proceeds.</p>"
                ),
            ),
            (
                "pull_quote",
                'Revisions after that stage should be "limited to mitigation measures".',
            ),
            (
                "paragraph",
                (
                    "<p>That distinction matters. Consultation that can only adjust how a mine is "
                    "built is very different from consultation that can still shape whether it is "
                    "built at all.</p>"
                ),
            ),
            ("heading", "What the office says"),
            (
                "quote",
                {
                    "text": (
                        "Nations are engaged from the earliest stage through information sharing. "
                        "Formal consultation follows once there is a defined project to consult "
                        "on."
                    ),
                    "attribution": "Statement from the Northern Resource Permitting Office",
                },
            ),
            (
                "paragraph",
                (
                    "<p>Lawyers for two First Nations whose territory includes approved projects "
                    "told the Ledger they had received notice of the applications, but that the "
                    "information shared before the determinations was limited to maps and short "
                    "summaries.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>One lawyer said the Nation she represents learned the location of a "
                    "proposed water-discharge point only at the first formal meeting, after the "
                    'determination had been issued. "By then the map was drawn," she said.</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>None of this shows that the approvals were unlawful, and the sequencing "
                    "of consultation leaves governments some room. What the files do show is a "
                    "process that measures its success mainly by speed, and records very little "
                    "about what consultation changed.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The NRPO is due to publish its first annual report in the spring. It "
                    "would be more useful if it listed, for each project, what Nations asked for "
                    "and what they got.</p>"
                ),
            ),
        ],
        "corrections": [],
    },
    # Latin America / analysis, 25 days ago
    {
        "slug": "atacama-lithium-agreements-water",
        "section": "latin-america",
        "headline": "What the Atacama lithium agreements say about water, and what they leave out",
        "dek": (
            "The Ledger read all 212 pages of the operating agreements signed by Salar Norte "
            "Litio. Water appears often; limits on it appear rarely."
        ),
        "type": "analysis",
        "authors": ["renata-ocampo"],
        "tags": ["mining", "water", "environment"],
        "days_ago": 25,
        "hero": {
            "alt": (
                "Abstract illustration in salt white and lagoon blue of evaporation ponds seen "
                "from above"
            ),
            "caption": (
                "Lithium is produced by pumping brine into evaporation ponds on the salt flats of "
                "the Atacama Desert."
            ),
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((205, 205, 195), (60, 120, 150)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>When Salar Norte Litio SpA signed operating agreements with the "
                    "Corporación de Desarrollo del Norte (CDN), a regional development agency in "
                    "Chile, last year, both sides described them as a new standard for "
                    "responsible lithium extraction in the Atacama Desert.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The Hemisphere Ledger obtained the full text, 212 pages including "
                    "annexes, through a transparency request. We read it to answer one question: "
                    "what do the agreements actually require on water?</p>"
                ),
            ),
            ("heading", "Water is mentioned 64 times"),
            (
                "paragraph",
                (
                    '<p>The word "water" (<i>agua</i>) appears 64 times. Most references are to '
                    "monitoring. The company must install wells to measure groundwater levels "
                    "around the salt flat and share the data with the CDN every quarter.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>What the agreements do not contain is a hard cap. There is no maximum "
                    "volume of brine that may be pumped in a year, and no level at which pumping "
                    "must stop if nearby groundwater falls.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The omission is notable because groundwater in the basin is already "
                    "shared with agriculture, a copper mine and several communities whose wells "
                    "draw on the same aquifer system.</p>"
                ),
            ),
            ("pull_quote", "There is no maximum volume of brine that may be pumped in a year."),
            (
                "paragraph",
                (
                    '<p>Instead, Annex 4 sets out an "adaptive management plan". If monitoring '
                    "wells show a decline beyond a threshold, the company must submit a "
                    "mitigation proposal within 90 days. The CDN may accept it or request "
                    "changes.</p>"
                ),
            ),
            ("heading", "Why the design matters"),
            (
                "paragraph",
                (
                    "<p>Adaptive plans are common in mining and are not inherently weak. Their "
                    "strength depends on who sets the thresholds and what happens when they are "
                    "crossed.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Here, the thresholds themselves sit in a technical appendix that the CDN "
                    "withheld, citing commercial confidentiality. The public can see that a "
                    "trigger exists, but not where it is.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The main text also lets the company propose its own mitigation measures, "
                    "such as reducing pumping at specific wells, and gives the CDN no deadline to "
                    "decide whether they are enough.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "An adaptive plan with a secret threshold is a promise to have a meeting."
                    ),
                    "attribution": (
                        "Matías Olave Rivas, a hydrogeologist who reviewed the agreements for the "
                        "Ledger"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    "<p>Two Indigenous communities near the salt flat have asked the CDN to "
                    'publish the appendix. The company told the Ledger it would "support '
                    'disclosure of the thresholds in a format that protects proprietary models", '
                    "but did not say when.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The CDN did not respond to questions about why the appendix was withheld "
                    "in full rather than in part.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>You can read the "
                    '<a href="https://example.org/ledger/salar-norte-agreements">agreements and '
                    "our annotations</a> in our document archive.</p>"
                ),
            ),
        ],
        "corrections": [],
    },
    # Canada / news, 29 days ago
    {
        "slug": "inspection-records-harbourview-staffing-shortfalls",
        "section": "canada",
        "headline": (
            "Inspection records show Nova Scotia care home operator was cited 31 times for "
            "staffing shortfalls"
        ),
        "dek": (
            "Harbourview Senior Living Group was cited repeatedly over three years for running "
            "night shifts below the minimum. The province renewed its licences every time."
        ),
        "type": "news",
        "authors": ["tobias-learmonth"],
        "tags": ["health", "labour"],
        "days_ago": 29,
        "hero": {
            "alt": (
                "Abstract illustration in lavender and warm beige of a long corridor with lit "
                "doorways"
            ),
            "caption": (
                "Most citations involved night shifts, when residents are most likely to fall."
            ),
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((150, 110, 160), (245, 230, 215)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>A company that operates eight long-term care homes in Nova Scotia was "
                    "cited 31 times over three years for running shifts below the minimum "
                    "staffing level set out in its licences, according to inspection records "
                    "obtained by The Hemisphere Ledger.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The records, released by the province's Continuing Care Licensing Branch "
                    "(CCLB) in response to an access-to-information request, cover inspections at "
                    "Harbourview Senior Living Group homes between 2021 and 2024.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Twenty-four of the 31 citations involved night shifts. In the most "
                    "serious case, at a home in Truro, one continuing care assistant was "
                    "responsible for 46 residents for six hours.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Minimum staffing levels are written into each home's licence and depend "
                    "on the number of residents and their care needs. The records do not show "
                    "whether any residents were harmed on the shifts in question.</p>"
                ),
            ),
            ("heading", "Licences renewed each year"),
            (
                "paragraph",
                (
                    "<p>Despite the citations, the branch renewed all eight licences every year. "
                    "None of the renewals imposed conditions, the records show.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Inspectors asked Harbourview to submit a corrective action plan after "
                    "each citation. The company did so every time. Several plans repeat the same "
                    "wording from one year to the next.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>In one 2023 plan, for a home in Dartmouth, the company committed to "
                    '"aggressive recruitment" and a review of scheduling practices. The same '
                    "two commitments appear in plans filed for three other homes the previous "
                    "year.</p>"
                ),
            ),
            (
                "pull_quote",
                (
                    "In the most serious case, one assistant was responsible for 46 residents for "
                    "six hours."
                ),
            ),
            (
                "paragraph",
                (
                    "<p>A former Harbourview employee, who worked night shifts at two of the "
                    "homes and asked not to be named because she still works in the sector, says "
                    'short-staffed nights were "normal, not an exception".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>She says night shifts were the first to be left short when someone called "
                    "in sick, because no manager was on site to find a replacement.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "You do the rounds as fast as you can and you pray nobody falls while you "
                        "are at the other end of the building."
                    ),
                    "attribution": "A former night-shift care assistant at Harbourview",
                },
            ),
            ("heading", "Company and province respond"),
            (
                "paragraph",
                (
                    '<p>In a statement, Harbourview said it had "struggled, like every operator '
                    'in the province, to recruit during a national shortage of care staff" and '
                    "that it had raised wages for night shifts in 2023.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    '<p>The CCLB said its approach is to "work with operators to achieve '
                    'compliance" and that licence conditions are used "where there is a risk '
                    'that cannot be addressed through corrective plans".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The branch did not answer questions about how many citations would "
                    "trigger conditions. The "
                    '<a href="https://example.org/ledger/harbourview-inspections">inspection '
                    "records</a> are in our document archive.</p>"
                ),
            ),
        ],
        "corrections": [
            {
                "days_after": 2,
                "kind": "correction",
                "text": (
                    "An earlier version of this article said Harbourview operates nine homes in "
                    "Nova Scotia. It operates eight."
                ),
            },
        ],
    },
    # Latin America / news, 34 days ago
    {
        "slug": "guatemala-observers-voter-roll-duplicates",
        "section": "latin-america",
        "headline": (
            "Guatemalan observers say a voter-roll audit flagged 41,000 possible duplicate entries"
        ),
        "dek": (
            "A citizen observer network compared the electoral roll with civil registry data in "
            "six departments. The registry authority says most cases have innocent explanations."
        ),
        "type": "news",
        "authors": ["renata-ocampo"],
        "tags": ["elections", "access-to-information"],
        "days_ago": 34,
        "hero": {
            "alt": (
                "Abstract illustration in cobalt and off-white of rows of identical ballot boxes"
            ),
            "caption": "The audit covered six of Guatemala's 22 departments.",
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((40, 90, 140), (240, 240, 235)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>A citizen election observer network in Guatemala says an audit of the "
                    "voter roll found about 41,000 possible duplicate registrations in six "
                    "departments, ahead of the next round of local elections.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The Red Ciudadana de Observación Electoral (RCOE) compared the roll with "
                    "civil registry records it obtained through public-information requests. Its "
                    "findings, shared with The Hemisphere Ledger before publication, are due to "
                    "be presented on Thursday in Guatemala City.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The network, founded in 2011, has published two previous audits of the "
                    "roll. The last one, in 2019, flagged about 12,000 possible duplicates in "
                    "three departments.</p>"
                ),
            ),
            ("heading", "How the matches were made"),
            (
                "paragraph",
                (
                    "<p>The network flagged entries where two registrations shared a full name "
                    "and date of birth but had different identity document numbers, or where a "
                    "single document number appeared at two addresses.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The Ledger reviewed a sample of 200 flagged entries provided by the RCOE. "
                    "In 38 cases, the two entries appeared to belong to different people with "
                    "identical names and birthdays, a known problem where a few surnames are very "
                    "common.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>In the remaining cases, we could not rule out a duplicate registration "
                    "from the data alone.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The largest concentrations were in two departments with high rates of "
                    "internal migration, where people often register in a new municipality "
                    "without being removed from the roll in the old one.</p>"
                ),
            ),
            (
                "pull_quote",
                "In 38 of 200 sampled cases, the entries appeared to belong to different people.",
            ),
            ("heading", "Authority disputes the scale"),
            (
                "quote",
                {
                    "text": (
                        "A name match is not a duplicate. Most of these records reflect people "
                        "who moved and were registered twice in error, which is corrected before "
                        "election day."
                    ),
                    "attribution": "Spokesperson for the Dirección Nacional de Padrón Electoral",
                },
            ),
            (
                "paragraph",
                (
                    "<p>The Dirección Nacional de Padrón Electoral (DNPE), which maintains the "
                    "roll, said it runs its own duplicate checks every quarter and removed 17,000 "
                    "records last year. It did not provide a breakdown by department.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The authority has not published the results of those checks since 2020, "
                    "according to the RCOE.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    '<p>Observers say they are not alleging fraud. "We are asking the authority '
                    "to publish its own checks,\" said Ana Lucía Gramajo, the network's "
                    'coordinator. "If the roll is clean, show us how you know."</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>A duplicate registration does not by itself allow someone to vote twice. "
                    "Voters must show an identity document at the polling station, where their "
                    "name is marked off a printed list. But observers say duplicates make "
                    "irregularities harder to detect and distort turnout figures.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The RCOE has published its "
                    '<a href="https://example.org/rcoe/methodology">methodology</a> and says it '
                    "will share anonymized match data with researchers on request.</p>"
                ),
            ),
        ],
        "corrections": [],
    },
    # Analysis / analysis, 41 days ago
    {
        "slug": "sole-source-contracts-four-provinces-data",
        "section": "analysis",
        "headline": (
            "Sole-source contracts rose for a third year in four provinces. Here is what the data "
            "can and cannot tell us"
        ),
        "dek": (
            "We built a database of 18,400 provincial contracts from public disclosure portals. "
            "Non-competitive awards are up, but the reasons are harder to pin down."
        ),
        "type": "analysis",
        "authors": ["tobias-learmonth"],
        "tags": ["procurement", "access-to-information"],
        "days_ago": 41,
        "hero": {
            "alt": "Abstract illustration in plum and mint of rising bar shapes over a faint grid",
            "caption": (
                "The analysis covers contracts over $25,000 published between 2020 and 2023."
            ),
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((100, 80, 130), (170, 210, 190)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>The share of provincial contracts awarded without competition rose for "
                    "the third year in a row in Ontario, Manitoba, Nova Scotia and New Brunswick, "
                    "according to an analysis of public disclosure data by The Hemisphere "
                    "Ledger.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Across the four provinces, non-competitive awards made up 23 per cent of "
                    "contracts over $25,000 in 2023, up from 16 per cent in 2020. By value, the "
                    "increase was steeper, from 19 to 31 per cent.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The trend was sharpest in health and information technology. In those two "
                    "categories combined, non-competitive awards accounted for 44 per cent of "
                    "contract value in 2023.</p>"
                ),
            ),
            ("heading", "How we built the dataset"),
            (
                "paragraph",
                (
                    "<p>We downloaded 18,400 contract records from the four provinces' disclosure "
                    "portals and standardized vendor names, dates and award methods. The "
                    '<a href="https://example.org/ledger/contracts-data">full dataset and '
                    "code</a> are available for anyone to check.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    '<p>Each province uses different categories. Where a record said "direct '
                    'award", "sole source" or "limited tendering", we counted it as '
                    "non-competitive. About 6 per cent of records listed no award method and were "
                    "excluded.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>We also removed duplicate records, which appear when a contract is "
                    "amended and republished, and converted all values to 2023 dollars. A "
                    "reporter outside the project reviewed the cleaning steps before "
                    "publication.</p>"
                ),
            ),
            (
                "pull_quote",
                "By value, the share of non-competitive awards rose from 19 to 31 per cent.",
            ),
            ("heading", "What the numbers do not show"),
            (
                "paragraph",
                (
                    "<p>A sole-source contract is not automatically improper. Procurement rules "
                    "allow them for emergencies, for highly specialized work and for extending an "
                    "existing engagement.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Nor is competition a guarantee of good value. A tender that attracted a "
                    "single bidder counts as competitive in our data, and we found 1,900 of "
                    "those.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Pandemic-era emergency purchasing explains part of the rise in 2020 and "
                    "2021, but not in 2022 or 2023. The portals rarely record which justification "
                    "was used, so we cannot say how many contracts relied on each exception.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>That gap is itself a finding. In three of the four provinces, the "
                    "justification for a non-competitive award is written down internally but "
                    "never published.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Only one of the four provinces publishes a short justification alongside "
                    "each non-competitive award. Its share of such awards rose the least.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "If the public can see that a contract was not competed but not why, the "
                        "disclosure is doing half its job."
                    ),
                    "attribution": "Gwendolyn Apraku, a former provincial procurement auditor",
                },
            ),
            (
                "paragraph",
                (
                    "<p>We have filed requests for the justifications behind the 50 largest "
                    "non-competitive contracts in our dataset. We will report what they show, "
                    "including where the reasons turn out to be sound.</p>"
                ),
            ),
        ],
        "corrections": [],
    },
    # Analysis / opinion, 58 days ago
    {
        "slug": "opinion-mining-boom-needs-public-contracts",
        "section": "analysis",
        "headline": (
            "Opinion: Latin America's mining boom needs published contracts, not more promises"
        ),
        "dek": (
            "Governments and companies say the new wave of copper and lithium projects will be "
            "different. The simplest test is whether they publish the agreements."
        ),
        "type": "opinion",
        "authors": ["renata-ocampo"],
        "tags": ["mining", "procurement"],
        "days_ago": 58,
        "hero": {
            "alt": (
                "Abstract illustration in rust and midnight blue of a signature line over a "
                "mountain silhouette"
            ),
            "caption": "Publishing contracts is the cheapest accountability tool available.",
            "credit": "Illustration: The Hemisphere Ledger",
            "colors": ((150, 70, 40), (40, 40, 60)),
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>Every mining cycle in Latin America begins with the same promise: this "
                    "time, the benefits will reach the communities that live beside the pits, the "
                    "ponds and the trucks.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Demand for copper and lithium, driven by the energy transition, has "
                    "brought that promise back with a new vocabulary. We now hear about "
                    '"responsible sourcing", "shared value" and "social licence".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>I have heard versions of these words from ministers, executives and "
                    "consultants in four countries. They are not necessarily insincere. But they "
                    "cannot be verified, and accountability depends on what can be checked.</p>"
                ),
            ),
            ("heading", "The test is on paper"),
            (
                "paragraph",
                (
                    "<p>There is a simple way to tell whether the promise is meant. Publish the "
                    "contracts: the concession terms, the royalty formulas, the water agreements "
                    "and the community benefit deals, in full, with annexes.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>In my years building procurement databases in the Andes, I saw how much "
                    "could be learned from a single published contract, and how much a one-page "
                    "summary could hide. Summaries are written by the people who signed.</p>"
                ),
            ),
            ("pull_quote", "Summaries are written by the people who signed."),
            (
                "paragraph",
                (
                    "<p>Some governments in the region already publish many of their extractive "
                    "contracts. Investment has not fled. What has changed is that journalists, "
                    "community lawyers and auditors can check the numbers.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Publication is not a cure. A contract can be public and still be unfair, "
                    "and communities need lawyers, translators and time to use it. But without "
                    "the text, every other safeguard rests on trust.</p>"
                ),
            ),
            ("heading", "Canadian companies have a role"),
            (
                "paragraph",
                (
                    "<p>Many of the companies involved are listed in Toronto or Vancouver and "
                    "already prepare detailed disclosure for their investors. Making the same "
                    "agreements available to the people downstream of a mine would cost them very "
                    "little.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>They could start by publishing community agreements in Spanish and, where "
                    "relevant, in Quechua or Aymara, with a plain-language summary written by "
                    "someone other than the company. Governments could make publication a "
                    "condition of every new concession.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "We are always told the agreement is good for us. We have never been "
                        "allowed to read it."
                    ),
                    "attribution": (
                        "Teodoro Quispe, president of a community water committee in Puno, Peru"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    "<p>Much of our reporting in the region starts exactly there, with someone "
                    "asking to read a document they were told was in their interest, and being "
                    "refused. The "
                    '<a href="https://example.org/ledger/contract-tracker">contract tracker</a> '
                    "we are building will list which agreements are public and which are not.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Promises are cheap. Publication is cheap too, which is exactly why its "
                    "absence tells us something.</p>"
                ),
            ),
        ],
        "corrections": [],
    },
]
