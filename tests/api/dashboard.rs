//! The dashboard's figures, checked against what this test computes itself.
//!
//! Each test creates its own records through the API (as the Secretariat) and keeps a plain list
//! of what it created (`World`). Every expected figure is derived from that list in plain Rust,
//! following the field descriptions of `type Dashboard` in schema.graphql (the contract), never
//! by asking the server. The harness starts with reference data only (countries, Champions,
//! sections, versions, accounts), so the records created here are the only ones counted.

use std::collections::BTreeMap;

use crate::common::*;
use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// The dataset
// ---------------------------------------------------------------------------------------------

/// The period most checks use; records sit on its edges and one day outside each.
const FROM: &str = "2021-03-01";
const TO: &str = "2021-11-30";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ver {
    /// GUIDE 2021-02-CHAMPIONS-DRAFT.
    Draft,
    /// GUIDE 2021-11-REVISED: the first with section III.A.
    Revised,
    /// BOOKLET 2021-02-CHAMPIONS-DRAFT.
    Booklet,
}

impl Ver {
    const ALL: [Ver; 3] = [Draft, Revised, Booklet];

    fn document(self) -> &'static str {
        if self == Booklet { "BOOKLET" } else { "GUIDE" }
    }

    fn code(self) -> &'static str {
        if self == Revised { "2021-11-REVISED" } else { "2021-02-CHAMPIONS-DRAFT" }
    }
}

/// Who gave a feedback.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Source {
    Country(&'static str),
    /// The demo stakeholder based in Morocco: not a country, whatever its seat.
    Stakeholder,
    /// Feedback the Champions gave together.
    Collective,
}

use Source::{Collective, Country as C, Stakeholder};
use Ver::{Booklet, Draft, Revised};

/// A day given as a date or relative to today (UTC), for records whose meaning depends on today.
#[derive(Clone, Copy)]
enum When {
    On(&'static str),
    Today(i64),
}

impl When {
    fn day(self, today: NaiveDate) -> NaiveDate {
        match self {
            On(day) => date(day),
            Today(offset) if offset >= 0 => today + Days::new(offset as u64),
            Today(offset) => today - Days::new(offset.unsigned_abs()),
        }
    }
}

use When::{On, Today};

struct FeedbackSpec {
    source: Source,
    version: Ver,
    sections: &'static [&'static str],
    received: &'static str,
    channel: &'static str,
    /// Where triage leaves it; UNDER_REVIEW and the decisions come with a response.
    status: &'static str,
}

const fn fb(
    source: Source,
    version: Ver,
    sections: &'static [&'static str],
    received: &'static str,
    channel: &'static str,
    status: &'static str,
) -> FeedbackSpec {
    FeedbackSpec { source, version, sections, received, channel, status }
}

/// Feedback from three Champions (MAR and GHA in Africa, SLV in the Americas), two more
/// Champions (KEN, PRT), a non-Champion country (SEN), a stakeholder and the Champions together;
/// on the sections GP-03 < I.B < I, STEP-2 < II, III.A < III (from the revised version on) and a
/// Booklet objective.
const FEEDBACK: &[FeedbackSpec] = &[
    fb(C("MAR"), Draft, &["GP-03"], "2021-02-10", "WRITTEN_COMMENT", "ACCEPTED"),
    fb(C("MAR"), Draft, &["GP-03", "GP-04"], "2021-02-28", "TECHNICAL_DISCUSSION", "RECEIVED"), // day before FROM
    fb(C("MAR"), Draft, &["I.B"], "2021-03-01", "TECHNICAL_DISCUSSION", "UNDER_REVIEW"),        // on FROM
    fb(C("MAR"), Draft, &["STEP-2"], "2021-03-15", "ONLINE_DISCUSSION", "DECLINED"),
    fb(C("MAR"), Draft, &["GP-03", "STEP-2"], "2021-04-02", "WRITTEN_COMMENT", "RECEIVED"), // two parts
    fb(C("MAR"), Draft, &["GP-03"], "2021-10-01", "BILATERAL", "RECEIVED"),
    fb(C("MAR"), Revised, &["III.A"], "2021-11-30", "BILATERAL", "RECEIVED"), // on TO
    fb(C("MAR"), Revised, &["III.A", "III"], "2021-12-01", "WRITTEN_COMMENT", "PARTIALLY_ACCEPTED"), // day after TO
    fb(C("SLV"), Draft, &["GP-03", "GP-05"], "2021-03-01", "WRITTEN_COMMENT", "RECEIVED"), // one part, twice
    fb(C("SLV"), Draft, &["STEP-2"], "2021-05-20", "TECHNICAL_DISCUSSION", "ADDRESSED"),
    fb(C("SLV"), Draft, &["I.A"], "2021-06-30", "ONLINE_DISCUSSION", "UNDER_REVIEW"),
    fb(C("SLV"), Revised, &["III.A"], "2021-11-15", "WRITTEN_COMMENT", "ACCEPTED"),
    fb(C("SLV"), Draft, &["II"], "2021-01-20", "BILATERAL", "DECLINED"),
    fb(C("SLV"), Booklet, &["OBJ-07"], "2021-04-15", "WRITTEN_COMMENT", "ADDRESSED"),
    fb(C("GHA"), Draft, &["GP-03"], "2021-03-01", "TECHNICAL_DISCUSSION", "RECEIVED"),
    fb(C("GHA"), Draft, &["STEP-2", "STEP-3"], "2021-07-07", "WRITTEN_COMMENT", "ACCEPTED"),
    fb(C("GHA"), Revised, &["GP-03"], "2021-11-30", "ONLINE_DISCUSSION", "RECEIVED"),
    fb(C("GHA"), Revised, &["III.A"], "2021-12-01", "TECHNICAL_DISCUSSION", "UNDER_REVIEW"),
    fb(C("GHA"), Draft, &["INTRO"], "2021-09-09", "WRITTEN_COMMENT", "RECEIVED"),
    fb(C("KEN"), Draft, &["GP-03"], "2021-04-02", "TECHNICAL_DISCUSSION", "ACCEPTED"),
    fb(C("PRT"), Revised, &["STEP-2"], "2021-11-20", "WRITTEN_COMMENT", "RECEIVED"),
    fb(C("SEN"), Draft, &["STEP-1"], "2021-06-01", "BILATERAL", "RECEIVED"),
    fb(Stakeholder, Draft, &["GP-03"], "2021-03-10", "WRITTEN_COMMENT", "ACCEPTED"),
    fb(Stakeholder, Revised, &["III.A"], "2021-11-30", "TECHNICAL_DISCUSSION", "RECEIVED"),
    fb(Collective, Draft, &["I"], "2021-02-28", "TECHNICAL_DISCUSSION", "DECLINED"),
    fb(Collective, Draft, &["GP-03", "I.B"], "2021-08-31", "ONLINE_DISCUSSION", "UNDER_REVIEW"),
    fb(Collective, Revised, &["III.A"], "2021-11-04", "WRITTEN_COMMENT", "ACCEPTED"),
    fb(Collective, Draft, &["STEP-6"], "2021-12-15", "WRITTEN_COMMENT", "RECEIVED"),
];

/// (country, role, status, started on, ended by `endRole` on, with status).
type RoleSpec = (&'static str, &'static str, &'static str, Option<&'static str>, Option<(&'static str, &'static str)>);

const ROLES: &[RoleSpec] = &[
    ("MAR", "PARTNER", "ACTIVE", Some("2020-12-01"), Some(("2021-02-28", "COMPLETED"))), // ended the day before FROM
    ("MAR", "PARTNER", "COMMITTED", Some("2021-03-01"), None),                           // the later one wins the cell
    ("MAR", "TESTER", "ACTIVE", Some("2021-05-01"), Some(("2021-11-30", "WITHDRAWN"))),
    ("MAR", "TESTER", "PROPOSED", Some("2021-12-01"), None), // starts the day after TO
    ("SLV", "CONVENOR", "ACTIVE", Some("2021-11-30"), None), // starts on TO
    ("SLV", "PROMOTER", "PROPOSED", None, None),             // not started: no start date
    ("GHA", "TESTER", "ACTIVE", Some("2020-10-01"), Some(("2021-03-01", "COMPLETED"))), // ends on FROM
    ("GHA", "PROMOTER", "COMMITTED", Some("2021-12-01"), None),
    ("PRT", "PARTNER", "ACTIVE", Some("2021-06-01"), None),
    ("KEN", "CONVENOR", "ACTIVE", Some("2021-02-01"), None),
];

/// (country, kind, status, target date).
type PlannedUseSpec = (&'static str, &'static str, &'static str, Option<&'static str>);

const PLANNED_USES: &[PlannedUseSpec] = &[
    ("MAR", "NATIONAL_IMPLEMENTATION_PLAN", "PLANNED", Some("2021-06-30")),
    ("MAR", "PROMOTION", "IN_PROGRESS", Some("2021-03-01")),
    ("MAR", "TRAINING", "DONE", Some("2021-12-01")),
    ("SLV", "NATIONAL_IMPLEMENTATION_PLAN", "PLANNED", None), // counted only without a period
    ("SLV", "PEER_LEARNING", "DROPPED", Some("2021-11-30")),
    ("GHA", "PROMOTION", "DROPPED", Some("2021-05-05")), // Ghana's only one: still "without planned use"
    ("PRT", "NATIONAL_IMPLEMENTATION_PLAN", "PLANNED", Some("2021-02-28")),
    ("KEN", "IMRF", "IN_PROGRESS", Some("2021-09-01")),
    ("KEN", "IMRF", "IN_PROGRESS", Some("2021-10-01")),
];

/// (country, version, status when created, started on, ended by `recordPilotOutcome` on, as).
type PilotSpec = (&'static str, Ver, &'static str, Option<&'static str>, Option<(&'static str, &'static str)>);

const PILOTS: &[PilotSpec] = &[
    ("MAR", Draft, "IN_PROGRESS", Some("2021-03-01"), None),
    ("MAR", Draft, "IN_PROGRESS", Some("2020-11-01"), Some(("2021-02-28", "COMPLETED"))),
    ("MAR", Revised, "PLANNED", None, Some(("2021-02-01", "CANCELLED"))), // open start, ended before FROM
    ("SLV", Revised, "PLANNED", None, None),                              // open dates: running in any period
    ("GHA", Draft, "IN_PROGRESS", Some("2021-04-01"), Some(("2021-11-30", "CANCELLED"))),
    ("GHA", Revised, "IN_PROGRESS", Some("2021-12-01"), None),
    ("PRT", Draft, "IN_PROGRESS", Some("2021-01-01"), Some(("2021-03-01", "COMPLETED"))),
    ("KEN", Revised, "PLANNED", Some("2021-11-30"), None),
];

/// (title, first day).
const EVENTS: &[(&str, When)] = &[
    ("Workshop in 2021", On("2021-05-05")),
    ("Briefing yesterday", Today(-1)),
    ("Briefing today", Today(0)),
    ("Dialogue next week", Today(5)),
    ("Launch A", Today(10)),
    ("Launch B", Today(10)), // same day as Launch A: created later, listed later
    ("Review in a month", Today(40)),
    ("Review next year", Today(400)),
];

/// (title, due, status, done on, version).
type MilestoneSpec = (&'static str, When, &'static str, Option<When>, Option<Ver>);

const MILESTONES: &[MilestoneSpec] = &[
    ("Consolidated draft", On("2021-02-28"), "PLANNED", None, Some(Draft)),
    ("Revision under way", On("2021-03-01"), "AT_RISK", None, Some(Revised)),
    ("Translations", On("2021-11-30"), "DONE", Some(On("2021-11-29")), Some(Draft)),
    ("Peer review", On("2021-06-15"), "SLIPPED", None, None),
    ("Regional consultations", On("2021-07-01"), "ON_TRACK", None, Some(Draft)),
    ("Layout", Today(-1), "PLANNED", None, None),
    ("Proofreading", Today(0), "PLANNED", None, None), // due today: not overdue yet
    ("Editing", Today(-5), "DONE", Some(Today(-5)), Some(Revised)),
    ("Launch preparations", Today(10), "PLANNED", None, Some(Revised)),
    ("Online version", Today(30), "AT_RISK", None, Some(Revised)),
    ("Printing", Today(60), "SLIPPED", None, Some(Draft)),
];

// ---------------------------------------------------------------------------------------------
// What the test created, and the reference data it needs
// ---------------------------------------------------------------------------------------------

struct CountryInfo {
    /// Table key, for "ties by country id".
    key: i32,
    name: String,
    region: String,
    champion: bool,
}

struct Reference {
    countries: BTreeMap<String, CountryInfo>,
    /// Section code → parent code, and every code in document order.
    parents: BTreeMap<String, Option<String>>,
    document_order: Vec<String>,
    versions: BTreeMap<Ver, String>,
    stakeholder: String,
}

impl Reference {
    async fn load(app: &TestApp, token: &str) -> Self {
        let data = app
            .data(
                r#"{ champions: countries(filter: {isChampion: true}, first: 100) { edges { node { id iso3 name region isChampion } } }
                     others: countries(filter: {iso3: {in: ["SEN"]}}) { edges { node { id iso3 name region isChampion } } }
                     sections(first: 100) { edges { node { code position document { id } parent { code } } } }
                     stakeholders(first: 100) { edges { node { id country { iso3 } } } } }"#,
                json!({}),
                token,
            )
            .await;
        let mut countries = BTreeMap::new();
        for node in nodes(&data["champions"]).into_iter().chain(nodes(&data["others"])) {
            countries.insert(
                text(&node["iso3"]),
                CountryInfo {
                    key: key_of(&node["id"]),
                    name: text(&node["name"]),
                    region: text(&node["region"]),
                    champion: node["isChampion"].as_bool().unwrap(),
                },
            );
        }
        // Document order: depth first through the tree, siblings by position, documents in turn.
        let sections = nodes(&data["sections"]);
        let parents: BTreeMap<String, Option<String>> =
            sections.iter().map(|s| (text(&s["code"]), s["parent"]["code"].as_str().map(str::to_owned))).collect();
        let mut children: BTreeMap<Option<String>, Vec<(i32, i64, String)>> = BTreeMap::new();
        for s in &sections {
            let sort = (key_of(&s["document"]["id"]), s["position"].as_i64().unwrap(), text(&s["code"]));
            children.entry(s["parent"]["code"].as_str().map(str::to_owned)).or_default().push(sort);
        }
        children.values_mut().for_each(|list| list.sort());
        fn walk(
            parent: Option<String>,
            children: &BTreeMap<Option<String>, Vec<(i32, i64, String)>>,
            out: &mut Vec<String>,
        ) {
            for (_, _, code) in children.get(&parent).into_iter().flatten() {
                out.push(code.clone());
                walk(Some(code.clone()), children, out);
            }
        }
        let mut document_order = Vec::new();
        walk(None, &children, &mut document_order);
        assert_eq!(document_order.len(), sections.len(), "every section is in the tree");

        let mut versions = BTreeMap::new();
        for ver in Ver::ALL {
            let found = app
                .data(
                    "query($d: DocumentKind!, $c: String!) { guideVersions(filter: {document: $d, code: {eq: $c}}) { edges { node { id } } } }",
                    json!({ "d": ver.document(), "c": ver.code() }),
                    token,
                )
                .await;
            versions.insert(ver, text(&nodes(&found["guideVersions"])[0]["id"]));
        }
        let stakeholder = nodes(&data["stakeholders"])
            .into_iter()
            .find(|s| s["country"]["iso3"] == "MAR")
            .expect("a demo stakeholder based in Morocco")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        Self { countries, parents, document_order, versions, stakeholder }
    }

    fn country(&self, iso3: &str) -> &CountryInfo {
        self.countries.get(iso3).unwrap_or_else(|| panic!("reference country {iso3}"))
    }

    /// Whether `code` is `ancestor` or lies below it.
    fn is_within(&self, code: &str, ancestor: &str) -> bool {
        let mut current = Some(code.to_owned());
        while let Some(c) = current {
            if c == ancestor {
                return true;
            }
            current = self.parents[&c].clone();
        }
        false
    }
}

struct FeedbackRec {
    source: Source,
    version: Ver,
    sections: Vec<&'static str>,
    received: NaiveDate,
    channel: &'static str,
    status: &'static str,
    /// UTC day of `respondedAt`, as the server recorded it.
    responded_on: Option<NaiveDate>,
}

struct RoleRec {
    key: i32,
    country: &'static str,
    role: &'static str,
    status: &'static str,
    started: Option<NaiveDate>,
    ended: Option<NaiveDate>,
}

struct PlannedUseRec {
    country: &'static str,
    kind: &'static str,
    status: &'static str,
    target: Option<NaiveDate>,
}

struct PilotRec {
    country: &'static str,
    version: Ver,
    status: &'static str,
    started: Option<NaiveDate>,
    ended: Option<NaiveDate>,
}

struct EventRec {
    key: i32,
    title: String,
    starts: NaiveDate,
}

struct MilestoneRec {
    key: i32,
    title: String,
    due: NaiveDate,
    status: &'static str,
    version: Option<Ver>,
}

/// Everything the test created, as created.
struct World {
    reference: Reference,
    /// Today (UTC) when the dataset was built; the server's "today" for upcoming events and
    /// overdue milestones is the same unless a run straddles midnight UTC.
    today: NaiveDate,
    feedback: Vec<FeedbackRec>,
    roles: Vec<RoleRec>,
    planned_uses: Vec<PlannedUseRec>,
    pilots: Vec<PilotRec>,
    events: Vec<EventRec>,
    milestones: Vec<MilestoneRec>,
}

const SUBMIT: &str = "mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id version } }";
const SET_STATUS: &str = "mutation($id: ID!, $status: FeedbackStatus!, $response: String, $v: Int!) {
    setFeedbackStatus(id: $id, status: $status, response: $response, expectedVersion: $v) { status respondedAt version } }";
const ASSIGN: &str = "mutation($input: AssignRoleInput!) { assignRole(input: $input) { id version } }";
const END_ROLE: &str = "mutation($id: ID!, $on: Date!, $status: RoleStatus!, $v: Int!) {
    endRole(id: $id, endedOn: $on, status: $status, expectedVersion: $v) { status endedOn } }";
const CREATE_USE: &str = "mutation($input: CreatePlannedUseInput!) { createPlannedUse(input: $input) { id } }";
const CREATE_PILOT: &str = "mutation($input: CreatePilotInput!) { createPilot(input: $input) { id version } }";
const END_PILOT: &str = "mutation($id: ID!, $on: Date!, $status: PilotStatus!, $v: Int!) {
    recordPilotOutcome(id: $id, outcome: \"Reported back\", endedOn: $on, status: $status, expectedVersion: $v) { status } }";
const CREATE_EVENT: &str = "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }";
const CREATE_MILESTONE: &str = "mutation($input: CreateMilestoneInput!) { createMilestone(input: $input) { id } }";

impl World {
    async fn new(app: &TestApp, admin: &str) -> Self {
        Self {
            reference: Reference::load(app, admin).await,
            today: Utc::now().date_naive(),
            feedback: Vec::new(),
            roles: Vec::new(),
            planned_uses: Vec::new(),
            pilots: Vec::new(),
            events: Vec::new(),
            milestones: Vec::new(),
        }
    }

    /// Creates every record of the tables above.
    async fn with_main_dataset(app: &TestApp, admin: &str) -> Self {
        let mut world = Self::new(app, admin).await;
        for spec in FEEDBACK {
            world.add_feedback(app, admin, spec).await;
        }
        for spec in ROLES {
            world.add_role(app, admin, spec).await;
        }
        for spec in PLANNED_USES {
            world.add_planned_use(app, admin, spec).await;
        }
        for spec in PILOTS {
            world.add_pilot(app, admin, spec).await;
        }
        for (title, starts) in EVENTS {
            world.add_event(app, admin, title, *starts).await;
        }
        for spec in MILESTONES {
            world.add_milestone(app, admin, spec).await;
        }
        world
    }

    async fn add_feedback(&mut self, app: &TestApp, admin: &str, spec: &FeedbackSpec) {
        let mut input = json!({
            "channel": spec.channel, "kind": "SUGGESTION", "body": "Feedback for the dashboard test",
            "guideVersion": self.reference.versions[&spec.version], "sections": spec.sections,
            "receivedOn": spec.received,
        });
        match spec.source {
            Source::Country(iso3) => input["country"] = json!(iso3),
            Stakeholder => input["stakeholder"] = json!(self.reference.stakeholder),
            Collective => input["collective"] = json!("Champions"),
        }
        let created = app.data(SUBMIT, json!({ "input": input }), admin).await["submitFeedback"].clone();
        let (id, mut version) = (created["id"].clone(), created["version"].as_i64().unwrap());
        let mut responded_at = None;
        let mut set = async |status: &str, response: Option<&str>| {
            let vars = json!({ "id": id, "status": status, "response": response, "v": version });
            let set = app.data(SET_STATUS, vars, admin).await["setFeedbackStatus"].clone();
            assert_eq!(set["status"], status);
            version = set["version"].as_i64().unwrap();
            responded_at = set["respondedAt"].as_str().map(str::to_owned);
        };
        match spec.status {
            "RECEIVED" => {}
            // A response while under review records `respondedAt`, yet the feedback is not responded.
            "UNDER_REVIEW" => set("UNDER_REVIEW", Some("We are looking into it.")).await,
            // Reviewed first, then decided without a new response: `respondedAt` stays the first one.
            "ADDRESSED" => {
                set("UNDER_REVIEW", Some("We are looking into it.")).await;
                set("ADDRESSED", None).await;
            }
            decided => set(decided, Some("Decided.")).await,
        }
        let responded_on =
            responded_at.map(|at| DateTime::parse_from_rfc3339(&at).unwrap().with_timezone(&Utc).date_naive());
        self.feedback.push(FeedbackRec {
            source: spec.source,
            version: spec.version,
            sections: spec.sections.to_vec(),
            received: date(spec.received),
            channel: spec.channel,
            status: spec.status,
            responded_on,
        });
    }

    async fn add_role(&mut self, app: &TestApp, admin: &str, &(country, role, status, started, end): &RoleSpec) {
        let input = json!({ "country": country, "role": role, "status": status, "startedOn": started });
        let created = app.data(ASSIGN, json!({ "input": input }), admin).await["assignRole"].clone();
        let (mut status, mut ended) = (status, None);
        if let Some((on, ended_as)) = end {
            let vars = json!({ "id": created["id"], "on": on, "status": ended_as, "v": created["version"] });
            let done = app.data(END_ROLE, vars, admin).await;
            assert_eq!(done["endRole"]["status"], ended_as);
            (status, ended) = (ended_as, Some(date(on)));
        }
        let started = started.map(date);
        self.roles.push(RoleRec { key: key_of(&created["id"]), country, role, status, started, ended });
    }

    async fn add_planned_use(&mut self, app: &TestApp, admin: &str, &(country, kind, status, target): &PlannedUseSpec) {
        let input = json!({ "country": country, "kind": kind, "status": status, "targetDate": target,
                            "description": "Use of the guidance" });
        app.data(CREATE_USE, json!({ "input": input }), admin).await;
        self.planned_uses.push(PlannedUseRec { country, kind, status, target: target.map(date) });
    }

    async fn add_pilot(&mut self, app: &TestApp, admin: &str, &(country, version, status, started, end): &PilotSpec) {
        let input = json!({ "country": country, "guideVersion": self.reference.versions[&version], "title": "Pilot",
                            "status": status, "startedOn": started });
        let created = app.data(CREATE_PILOT, json!({ "input": input }), admin).await["createPilot"].clone();
        let (mut status, mut ended) = (status, None);
        if let Some((on, ended_as)) = end {
            let vars = json!({ "id": created["id"], "on": on, "status": ended_as, "v": created["version"] });
            app.data(END_PILOT, vars, admin).await;
            (status, ended) = (ended_as, Some(date(on)));
        }
        self.pilots.push(PilotRec { country, version, status, started: started.map(date), ended });
    }

    async fn add_event(&mut self, app: &TestApp, admin: &str, title: &str, starts: When) {
        let starts = starts.day(self.today);
        let input = json!({ "title": title, "kind": "WORKSHOP", "startsOn": iso(starts) });
        let created = app.data(CREATE_EVENT, json!({ "input": input }), admin).await;
        self.events.push(EventRec { key: key_of(&created["createEvent"]["id"]), title: title.to_owned(), starts });
    }

    async fn add_milestone(
        &mut self,
        app: &TestApp,
        admin: &str,
        &(title, due, status, done, version): &MilestoneSpec,
    ) {
        let due = due.day(self.today);
        let input = json!({
            "title": title, "dueOn": iso(due), "status": status, "doneOn": done.map(|d| iso(d.day(self.today))),
            "guideVersion": version.map(|v| self.reference.versions[&v].clone()),
        });
        let created = app.data(CREATE_MILESTONE, json!({ "input": input }), admin).await;
        let key = key_of(&created["createMilestone"]["id"]);
        self.milestones.push(MilestoneRec { key, title: title.to_owned(), due, status, version });
    }
}

// ---------------------------------------------------------------------------------------------
// The expected figures, from the field descriptions
// ---------------------------------------------------------------------------------------------

/// A dashboard filter, kept in Rust to compute with.
#[derive(Clone, Copy, Default, Debug)]
struct Filter {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    region: Option<&'static str>,
    version: Option<Ver>,
}

impl Filter {
    fn period(from: NaiveDate, to: NaiveDate) -> Self {
        Self { from: Some(from), to: Some(to), ..Self::default() }
    }

    /// The period most checks use.
    fn main_period() -> Self {
        Self::period(date(FROM), date(TO))
    }

    fn json(&self, reference: &Reference) -> Value {
        let mut filter = json!({});
        if let Some(from) = self.from {
            filter["from"] = json!(iso(from));
        }
        if let Some(to) = self.to {
            filter["to"] = json!(iso(to));
        }
        if let Some(region) = self.region {
            filter["region"] = json!(region);
        }
        if let Some(version) = self.version {
            filter["version"] = json!(reference.versions[&version]);
        }
        filter
    }

    fn has_period(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Both bounds inclusive, either open when omitted.
    fn in_period(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| day >= from) && self.to.is_none_or(|to| day <= to)
    }

    fn in_region(&self, reference: &Reference, iso3: &str) -> bool {
        self.region.is_none_or(|region| reference.country(iso3).region == region)
    }
}

/// Who reads the dashboard.
#[derive(Clone, Copy, Debug)]
enum Viewer {
    /// The Secretariat or a working-group lead: reads everything.
    Everything,
    /// A Champion focal point: its own country's private records, plus collective feedback.
    Champion(&'static str),
}

impl Viewer {
    fn reads_country(self, iso3: &str) -> bool {
        match self {
            Viewer::Everything => true,
            Viewer::Champion(own) => own == iso3,
        }
    }

    fn reads_feedback(self, source: Source) -> bool {
        match source {
            Source::Country(iso3) => self.reads_country(iso3),
            Stakeholder => matches!(self, Viewer::Everything),
            Collective => true,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct SectionFigure {
    code: String,
    total: i64,
    direct: i64,
    open: i64,
    direct_open: i64,
    /// Sorted by status: the description gives no order.
    by_status: Vec<(String, i64)>,
}

#[derive(Debug, PartialEq)]
struct Responses {
    feedback: i64,
    responded: i64,
    rate: Option<f64>,
    median_days: Option<f64>,
}

/// One matrix row: a country's ISO3 code and, per role in order, the status of its cell.
type MatrixRow = (String, Vec<(String, Option<String>)>);

/// Every figure of one dashboard. Lists whose order the description leaves open are sorted.
#[derive(Debug, PartialEq)]
struct Figures {
    role_matrix: Vec<MatrixRow>,
    roles_by_role_and_status: Vec<((String, String), i64)>,
    feedback_by_status: Vec<(String, i64)>,
    feedback_by_channel: Vec<(String, i64)>,
    feedback_by_country: Vec<(String, i64)>,
    feedback_by_month: Vec<(String, i64)>,
    feedback_by_section: Vec<SectionFigure>,
    most_open: Vec<SectionFigure>,
    most_open_default_limit: Vec<String>,
    responses: Responses,
    planned_uses: Vec<((String, String), i64)>,
    champions_without_planned_use: Vec<String>,
    pilots_by_status: Vec<(String, i64)>,
    upcoming_events: Vec<String>,
    upcoming_events_default_limit: Vec<String>,
    overdue_milestones: Vec<String>,
    at_risk_milestones: Vec<String>,
}

const OPEN: [&str; 2] = ["RECEIVED", "UNDER_REVIEW"];
const RESPONDED: [&str; 4] = ["ACCEPTED", "PARTIALLY_ACCEPTED", "DECLINED", "ADDRESSED"];
const ROLE_ORDER: [&str; 4] = ["PARTNER", "TESTER", "PROMOTER", "CONVENOR"];

impl World {
    /// "Feedback counted": readable by the viewer, received in the period, given on the version
    /// and, with a region, given by a country of that region.
    fn counted_feedback(&self, f: &Filter, viewer: Viewer) -> Vec<&FeedbackRec> {
        self.feedback
            .iter()
            .filter(|fb| viewer.reads_feedback(fb.source))
            .filter(|fb| f.in_period(fb.received))
            .filter(|fb| f.version.is_none_or(|v| v == fb.version))
            .filter(|fb| {
                f.region.is_none() || matches!(fb.source, Source::Country(iso3) if f.in_region(&self.reference, iso3))
            })
            .collect()
    }

    /// Champion countries of the region (a Champion viewer: its own), by name.
    fn champions(&self, f: &Filter, viewer: Viewer) -> Vec<(&String, &CountryInfo)> {
        let mut champions: Vec<_> = self
            .reference
            .countries
            .iter()
            .filter(|(iso3, c)| c.champion && f.in_region(&self.reference, iso3) && viewer.reads_country(iso3))
            .collect();
        champions.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        champions
    }

    /// In force at some time in the period: started on or before `to` (an assignment without a
    /// start date has not started), ended on or after `from` (an open end counting as in force).
    fn role_in_force(f: &Filter, role: &RoleRec) -> bool {
        f.to.is_none_or(|to| role.started.is_some_and(|started| started <= to))
            && f.from.is_none_or(|from| role.ended.is_none_or(|ended| ended >= from))
    }

    fn expected(&self, f: &Filter, viewer: Viewer, top: usize, events: usize) -> Figures {
        let reference = &self.reference;
        let counted = self.counted_feedback(f, viewer);

        let roles_in_force: Vec<&RoleRec> =
            self.roles.iter().filter(|r| Self::role_in_force(f, r) && f.in_region(reference, r.country)).collect();
        let role_matrix = self
            .champions(f, viewer)
            .into_iter()
            .map(|(iso3, _)| {
                let cells = ROLE_ORDER
                    .iter()
                    .map(|role| {
                        let latest = roles_in_force
                            .iter()
                            .filter(|r| r.country == iso3 && r.role == *role)
                            .max_by_key(|r| r.key);
                        (role.to_string(), latest.map(|r| r.status.to_owned()))
                    })
                    .collect();
                (iso3.clone(), cells)
            })
            .collect();
        let roles_by_role_and_status = tally(roles_in_force.iter().map(|r| (owned(r.role), owned(r.status))));

        let mut feedback_by_country = tally(counted.iter().filter_map(|fb| match fb.source {
            Source::Country(iso3) => Some(owned(iso3)),
            _ => None,
        }));
        feedback_by_country.sort_by_key(|(iso3, n)| (-n, reference.country(iso3).key));

        let feedback_by_section: Vec<SectionFigure> = reference
            .document_order
            .iter()
            .filter_map(|code| {
                // Distinct feedback: each is looked at once, however many of its sections match.
                let total: Vec<&FeedbackRec> = counted
                    .iter()
                    .copied()
                    .filter(|fb| fb.sections.iter().any(|s| reference.is_within(s, code)))
                    .collect();
                let direct: Vec<&FeedbackRec> =
                    counted.iter().copied().filter(|fb| fb.sections.contains(&code.as_str())).collect();
                let open = |list: &[&FeedbackRec]| list.iter().filter(|fb| OPEN.contains(&fb.status)).count() as i64;
                (!total.is_empty()).then(|| SectionFigure {
                    code: code.clone(),
                    total: total.len() as i64,
                    direct: direct.len() as i64,
                    open: open(&total),
                    direct_open: open(&direct),
                    by_status: tally(total.iter().map(|fb| owned(fb.status))),
                })
            })
            .collect();
        // Most direct open first; a stable sort keeps ties in document order.
        let mut most_open: Vec<&SectionFigure> = feedback_by_section.iter().filter(|s| s.direct_open > 0).collect();
        most_open.sort_by_key(|s| -s.direct_open);
        let most_open_default_limit = most_open.iter().take(5).map(|s| s.code.clone()).collect();
        let most_open = most_open.into_iter().take(top).cloned().collect();

        let responded: Vec<&FeedbackRec> =
            counted.iter().copied().filter(|fb| RESPONDED.contains(&fb.status)).collect();
        let days = responded.iter().filter_map(|fb| fb.responded_on.map(|on| (on - fb.received).num_days())).collect();
        let responses = Responses {
            feedback: counted.len() as i64,
            responded: responded.len() as i64,
            rate: (!counted.is_empty()).then(|| nine_decimals(responded.len() as f64 / counted.len() as f64)),
            median_days: median(days),
        };

        let planned_uses = tally(
            self.planned_uses
                .iter()
                .filter(|u| viewer.reads_country(u.country) && f.in_region(reference, u.country))
                .filter(|u| !f.has_period() || u.target.is_some_and(|day| f.in_period(day)))
                .map(|u| (owned(u.kind), owned(u.status))),
        );
        let champions_without_planned_use = self
            .champions(f, viewer)
            .into_iter()
            .filter(|(iso3, _)| !self.planned_uses.iter().any(|u| u.country == *iso3 && u.status != "DROPPED"))
            .map(|(iso3, _)| iso3.clone())
            .collect();
        let pilots_by_status = tally(
            self.pilots
                .iter()
                .filter(|p| viewer.reads_country(p.country) && f.in_region(reference, p.country))
                .filter(|p| f.version.is_none_or(|v| v == p.version))
                .filter(|p| {
                    f.to.is_none_or(|to| p.started.is_none_or(|started| started <= to))
                        && f.from.is_none_or(|from| p.ended.is_none_or(|ended| ended >= from))
                })
                .map(|p| owned(p.status)),
        );

        let mut upcoming: Vec<&EventRec> =
            self.events.iter().filter(|e| e.starts >= self.today && f.in_period(e.starts)).collect();
        upcoming.sort_by_key(|e| (e.starts, e.key));
        let titles = |list: &[&EventRec], n: usize| list.iter().take(n).map(|e| e.title.clone()).collect();

        let overdue = |m: &MilestoneRec| m.status != "DONE" && m.due < self.today;
        let mut milestones: Vec<&MilestoneRec> = self
            .milestones
            .iter()
            .filter(|m| f.in_period(m.due) && f.version.is_none_or(|v| m.version == Some(v)))
            .collect();
        milestones.sort_by_key(|m| (m.due, m.key));
        let milestone_titles = |keep: &dyn Fn(&MilestoneRec) -> bool| {
            milestones.iter().filter(|m| keep(m)).map(|m| m.title.clone()).collect::<Vec<_>>()
        };

        Figures {
            role_matrix,
            roles_by_role_and_status,
            feedback_by_status: tally(counted.iter().map(|fb| owned(fb.status))),
            feedback_by_channel: tally(counted.iter().map(|fb| owned(fb.channel))),
            feedback_by_country,
            feedback_by_month: tally(counted.iter().map(|fb| fb.received.format("%Y-%m").to_string())),
            feedback_by_section,
            most_open,
            most_open_default_limit,
            responses,
            planned_uses,
            champions_without_planned_use,
            pilots_by_status,
            upcoming_events: titles(&upcoming, events),
            upcoming_events_default_limit: titles(&upcoming, 5),
            overdue_milestones: milestone_titles(&overdue),
            at_risk_milestones: milestone_titles(&|m| ["AT_RISK", "SLIPPED"].contains(&m.status) || overdue(m)),
        }
    }
}

/// How many times each key occurs, sorted by key.
fn tally<K: Ord>(keys: impl Iterator<Item = K>) -> Vec<(K, i64)> {
    let mut counts: BTreeMap<K, i64> = BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    counts.into_iter().collect()
}

fn owned(text: &str) -> String {
    text.to_owned()
}

/// A rate rounded for comparison: serde_json's default float parsing may land one unit in the
/// last place away from the value the server printed.
fn nine_decimals(rate: f64) -> f64 {
    (rate * 1e9).round() / 1e9
}

/// The middle value, or the mean of the two middle values for an even count.
fn median(mut values: Vec<i64>) -> Option<f64> {
    values.sort();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2] as f64),
        _ => Some((values[n / 2 - 1] + values[n / 2]) as f64 / 2.0),
    }
}

// ---------------------------------------------------------------------------------------------
// The figures as the server gives them
// ---------------------------------------------------------------------------------------------

const DASHBOARD: &str = r#"query($filter: DashboardFilter!, $top: Int!, $events: Int!) { dashboard(filter: $filter) {
    roleCoverage {
        matrix { country { iso3 } cells { role status } }
        byRoleAndStatus { role status count } }
    feedbackByStatus { status count }
    feedbackByChannel { channel count }
    feedbackByCountry { country { iso3 } count }
    feedbackByMonth { month count }
    feedbackBySection { ...Counts }
    sectionsWithMostOpenFeedback(limit: $top) { ...Counts }
    topDefault: sectionsWithMostOpenFeedback { section { code } }
    responses { feedback responded rate medianDaysToResponse }
    plannedUsesByKindAndStatus { kind status count }
    championsWithoutPlannedUse { iso3 }
    pilotsByStatus { status count }
    upcomingEvents(limit: $events) { title }
    upcomingDefault: upcomingEvents { title }
    overdueMilestones { title }
    atRiskMilestones { title }
} }
fragment Counts on SectionFeedbackCount { section { code } total direct open directOpen byStatus { status count } }"#;

fn figures_of(dashboard: &Value) -> Figures {
    let pairs = |v: &Value, key: &str| {
        let mut pairs: Vec<(String, i64)> = items(v).iter().map(|x| (text(&x[key]), count(x))).collect();
        pairs.sort();
        pairs
    };
    let triples = |v: &Value, a: &str, b: &str| {
        let mut triples: Vec<((String, String), i64)> =
            items(v).iter().map(|x| ((text(&x[a]), text(&x[b])), count(x))).collect();
        triples.sort();
        triples
    };
    let sections = |v: &Value| {
        items(v)
            .iter()
            .map(|s| SectionFigure {
                code: text(&s["section"]["code"]),
                total: s["total"].as_i64().unwrap(),
                direct: s["direct"].as_i64().unwrap(),
                open: s["open"].as_i64().unwrap(),
                direct_open: s["directOpen"].as_i64().unwrap(),
                by_status: pairs(&s["byStatus"], "status"),
            })
            .collect()
    };
    let texts = |v: &Value, path: &[&str]| {
        items(v).iter().map(|x| text(path.iter().fold(x, |x, key| &x[*key]))).collect::<Vec<_>>()
    };
    let coverage = &dashboard["roleCoverage"];
    let responses = &dashboard["responses"];
    Figures {
        role_matrix: items(&coverage["matrix"])
            .iter()
            .map(|row| {
                let cells =
                    items(&row["cells"]).iter().map(|c| (text(&c["role"]), c["status"].as_str().map(str::to_owned)));
                (text(&row["country"]["iso3"]), cells.collect())
            })
            .collect(),
        roles_by_role_and_status: triples(&coverage["byRoleAndStatus"], "role", "status"),
        feedback_by_status: pairs(&dashboard["feedbackByStatus"], "status"),
        feedback_by_channel: pairs(&dashboard["feedbackByChannel"], "channel"),
        feedback_by_country: items(&dashboard["feedbackByCountry"])
            .iter()
            .map(|x| (text(&x["country"]["iso3"]), count(x)))
            .collect(),
        feedback_by_month: items(&dashboard["feedbackByMonth"]).iter().map(|x| (text(&x["month"]), count(x))).collect(),
        feedback_by_section: sections(&dashboard["feedbackBySection"]),
        most_open: sections(&dashboard["sectionsWithMostOpenFeedback"]),
        most_open_default_limit: texts(&dashboard["topDefault"], &["section", "code"]),
        responses: Responses {
            feedback: responses["feedback"].as_i64().unwrap(),
            responded: responses["responded"].as_i64().unwrap(),
            rate: responses["rate"].as_f64().map(nine_decimals),
            median_days: responses["medianDaysToResponse"].as_f64(),
        },
        planned_uses: triples(&dashboard["plannedUsesByKindAndStatus"], "kind", "status"),
        champions_without_planned_use: texts(&dashboard["championsWithoutPlannedUse"], &["iso3"]),
        pilots_by_status: pairs(&dashboard["pilotsByStatus"], "status"),
        upcoming_events: texts(&dashboard["upcomingEvents"], &["title"]),
        upcoming_events_default_limit: texts(&dashboard["upcomingDefault"], &["title"]),
        overdue_milestones: texts(&dashboard["overdueMilestones"], &["title"]),
        at_risk_milestones: texts(&dashboard["atRiskMilestones"], &["title"]),
    }
}

/// Asks for the dashboard and compares every figure with the expectation, one by one so that
/// a failure names the figure.
async fn check(app: &TestApp, world: &World, token: &str, viewer: Viewer, filter: Filter) -> Figures {
    let (top, events) = (3, 3);
    let vars = json!({ "filter": filter.json(&world.reference), "top": top, "events": events });
    let actual = figures_of(&app.data(DASHBOARD, vars, token).await["dashboard"]);
    let expected = world.expected(&filter, viewer, top as usize, events as usize);
    macro_rules! same {
        ($($field:ident),* $(,)?) => {
            $(assert_eq!(actual.$field, expected.$field, "{} for {viewer:?} with {filter:?}", stringify!($field));)*
        };
    }
    same!(
        role_matrix,
        roles_by_role_and_status,
        feedback_by_status,
        feedback_by_channel,
        feedback_by_country,
        feedback_by_month,
        feedback_by_section,
        most_open,
        most_open_default_limit,
        responses,
        planned_uses,
        champions_without_planned_use,
        pilots_by_status,
        upcoming_events,
        upcoming_events_default_limit,
        overdue_milestones,
        at_risk_milestones,
    );
    actual
}

fn date(day: &str) -> NaiveDate {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap_or_else(|_| panic!("a date: {day}"))
}

fn iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn items(value: &Value) -> &[Value] {
    value.as_array().unwrap_or_else(|| panic!("a list: {value}"))
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_else(|| panic!("a string: {value}")).to_owned()
}

fn count(value: &Value) -> i64 {
    value["count"].as_i64().unwrap_or_else(|| panic!("a count: {value}"))
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

/// The filters the Secretariat's dashboards are checked with.
fn secretariat_filters(today: NaiveDate) -> Vec<Filter> {
    let day = |offset: i64| Today(offset).day(today);
    let period = Filter::main_period();
    vec![
        Filter::default(),
        period,
        Filter { from: Some(date(FROM)), ..Filter::default() },
        Filter { to: Some(date(TO)), ..Filter::default() },
        Filter::period(date(TO), date(TO)),
        Filter { region: Some("Africa"), ..Filter::default() },
        Filter { region: Some("Americas"), ..Filter::default() },
        Filter { region: Some("Europe"), ..period },
        Filter { version: Some(Revised), ..Filter::default() },
        Filter { version: Some(Draft), ..Filter::default() },
        Filter { version: Some(Booklet), ..Filter::default() },
        Filter { region: Some("Africa"), version: Some(Draft), ..period },
        // Around today, and ahead of it: events and milestones.
        Filter::period(day(-5), day(10)),
        Filter::period(day(5), day(40)),
        Filter { from: Some(day(1)), version: Some(Revised), ..Filter::default() },
    ]
}

#[tokio::test]
async fn every_figure_matches_the_records_for_each_filter() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let world = World::with_main_dataset(&app, &admin).await;
    for filter in secretariat_filters(world.today) {
        check(&app, &world, &admin, Viewer::Everything, filter).await;
    }
    // A working-group lead reads everything too.
    let lead = app.login(WG_LEAD).await;
    check(&app, &world, &lead, Viewer::Everything, Filter::default()).await;
    check(&app, &world, &lead, Viewer::Everything, Filter::main_period()).await;
}

/// A few figures worked out by hand, so that the model above and the server cannot share a
/// mistake unnoticed.
#[tokio::test]
async fn hand_counted_figures_for_the_period() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let world = World::with_main_dataset(&app, &admin).await;
    let figures = check(&app, &world, &admin, Viewer::Everything, Filter::main_period()).await;

    // MAR and SLV both gave 5 in the period (SLV's Booklet feedback included): ties by country id.
    let (mar, slv) = (world.reference.country("MAR").key, world.reference.country("SLV").key);
    let tie = if mar < slv { ["MAR", "SLV"] } else { ["SLV", "MAR"] };
    assert_eq!(
        figures.feedback_by_country[..3],
        [(tie[0].to_owned(), 5), (tie[1].to_owned(), 5), ("GHA".to_owned(), 4)]
    );
    let section = |code: &str| figures.feedback_by_section.iter().find(|s| s.code == code).unwrap();
    // Part I: MAR's I.B and GP-03(+STEP-2) and GP-03, SLV's GP-03+GP-05 (once), SLV's I.A, GHA's GP-03 twice,
    // KEN's GP-03, the stakeholder's GP-03, the collective's GP-03+I.B (once).
    assert_eq!((section("I").total, section("I").direct), (10, 0));
    assert_eq!((section("I.B").total, section("I.B").direct), (9, 2));
    assert_eq!((section("III").total, section("III").direct), (4, 0), "III.A feedback rolls up into III");
    assert!(figures.feedback_by_section.iter().all(|s| s.code != "STEP-6"), "received after the period");
    assert_eq!(figures.responses.feedback, 21);
    assert_eq!(figures.feedback_by_month.first(), Some(&("2021-03".to_owned(), 5)));
    assert_eq!(figures.at_risk_milestones, ["Revision under way", "Peer review", "Regional consultations"]);
    assert_eq!(figures.overdue_milestones, figures.at_risk_milestones);
    // MAR PARTNER: the COMMITTED assignment from FROM on; the ACTIVE one ended the day before.
    assert_eq!(figures.role_matrix.iter().find(|(c, _)| c == "MAR").unwrap().1[0].1.as_deref(), Some("COMMITTED"));
}

#[tokio::test]
async fn a_champion_counts_only_its_own_records_and_collective_feedback() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let world = World::with_main_dataset(&app, &admin).await;
    let period = Filter::main_period();
    let filters = [
        Filter::default(),
        period,
        Filter { region: Some("Africa"), ..Filter::default() },
        // Morocco is not in the Americas: only what has no country is left (collective feedback
        // is dropped too, as a region keeps only feedback given by a country of the region).
        Filter { region: Some("Americas"), ..Filter::default() },
        Filter { version: Some(Revised), ..period },
    ];
    let morocco = app.login(CHAMPION_MAR).await;
    for filter in filters {
        check(&app, &world, &morocco, Viewer::Champion("MAR"), filter).await;
    }
    let salvador = app.login(CHAMPION_SLV).await;
    for filter in &filters[..2] {
        check(&app, &world, &salvador, Viewer::Champion("SLV"), *filter).await;
    }

    // Spelled out: Morocco sees its 8 feedback items and the collective's 4, not the stakeholder's.
    let everything = world.expected(&Filter::default(), Viewer::Champion("MAR"), 3, 3);
    assert_eq!(everything.responses.feedback, 12);
    assert_eq!(everything.feedback_by_country, [("MAR".to_owned(), 8)]);
    assert_eq!(everything.role_matrix.len(), 1);
}

#[tokio::test]
async fn a_period_without_records_counts_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let world = World::with_main_dataset(&app, &admin).await;
    let empty = Filter::period(date("1990-01-01"), date("1990-12-31"));
    let figures = check(&app, &world, &admin, Viewer::Everything, empty).await;

    assert_eq!(figures.responses, Responses { feedback: 0, responded: 0, rate: None, median_days: None });
    for (name, list) in [
        ("feedbackByStatus", figures.feedback_by_status.len()),
        ("feedbackByChannel", figures.feedback_by_channel.len()),
        ("feedbackByCountry", figures.feedback_by_country.len()),
        ("feedbackByMonth", figures.feedback_by_month.len()),
        ("feedbackBySection", figures.feedback_by_section.len()),
        ("sectionsWithMostOpenFeedback", figures.most_open.len()),
        ("byRoleAndStatus", figures.roles_by_role_and_status.len()),
        ("plannedUsesByKindAndStatus", figures.planned_uses.len()),
        ("upcomingEvents", figures.upcoming_events.len()),
        ("overdueMilestones", figures.overdue_milestones.len()),
        ("atRiskMilestones", figures.at_risk_milestones.len()),
    ] {
        assert_eq!(list, 0, "{name} in a period without records");
    }
    assert!(figures.role_matrix.iter().all(|(_, cells)| cells.iter().all(|(_, status)| status.is_none())));
    // "Open dates counting as running": El Salvador's planned pilot, with neither start nor end
    // date, and Morocco's cancelled one, with no start date, run "at some time" in any earlier
    // period. Champions without planned use ignore the period.
    assert_eq!(figures.pilots_by_status, [("CANCELLED".to_owned(), 1), ("PLANNED".to_owned(), 1)]);
    assert_eq!(figures.champions_without_planned_use, ["GHA", "MEX", "NPL", "PHL"]);
}

#[tokio::test]
async fn invalid_filters_and_limits_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let query = "query($f: DashboardFilter!) { dashboard(filter: $f) { responses { feedback } } }";
    let country = global_id("Country", 1);
    for (filter, code, field) in [
        (json!({ "from": "2021-03-02", "to": "2021-03-01" }), "BAD_USER_INPUT", "filter.to"),
        (json!({ "region": "Atlantis" }), "BAD_USER_INPUT", "filter.region"),
        (json!({ "guideVersion": country }), "BAD_USER_INPUT", "filter.guideVersion"),
        (json!({ "guideVersion": "not-an-id" }), "BAD_USER_INPUT", "filter.guideVersion"),
        (json!({ "guideVersion": global_id("GuideVersion", 99_999) }), "NOT_FOUND", "filter.guideVersion"),
        // The deprecated former name is checked under its own name.
        (json!({ "version": global_id("GuideVersion", 99_999) }), "NOT_FOUND", "filter.version"),
    ] {
        let body = app.refused(query, json!({ "f": filter }), &admin).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{filter}: {body}");
    }
    for field in ["sectionsWithMostOpenFeedback(limit: 0) { total }", "upcomingEvents(limit: 0) { title }"] {
        let body = app.refused(&format!("{{ dashboard {{ {field} }} }}"), json!({}), &admin).await;
        assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "limit"), "{field}: {body}");
    }
    // A period of one day is a period.
    app.data(query, json!({ "f": { "from": "2021-03-01", "to": "2021-03-01" } }), &admin).await;
}

/// Records spread over `countries`, `per_country` feedback items each, plus roles, planned uses,
/// pilots, events and milestones enough for every list of the dashboard to have rows.
async fn spread_records(app: &TestApp, admin: &str, world: &mut World, countries: &[&'static str], per_country: usize) {
    const SECTIONS: [&[&str]; 5] = [&["GP-03"], &["STEP-2", "GP-01"], &["I.A"], &["III.A"], &["INTRO", "STEP-6"]];
    const STATUSES: [&str; 5] = ["RECEIVED", "UNDER_REVIEW", "ACCEPTED", "DECLINED", "ADDRESSED"];
    const CHANNELS: [&str; 3] = ["WRITTEN_COMMENT", "TECHNICAL_DISCUSSION", "BILATERAL"];
    const MONTHS: [&str; 4] = ["2021-03-05", "2021-06-15", "2021-11-30", "2022-01-10"];
    for (c, country) in countries.iter().enumerate() {
        for i in 0..per_country {
            let n = c * per_country + i;
            let sections = SECTIONS[n % SECTIONS.len()];
            let version = if sections.contains(&"III.A") { Revised } else { Draft };
            let spec = fb(C(country), version, sections, MONTHS[n % 4], CHANNELS[n % 3], STATUSES[n % 5]);
            world.add_feedback(app, admin, &spec).await;
        }
        world.add_role(app, admin, &(country, ROLE_ORDER[c % 4], "ACTIVE", Some("2021-01-01"), None)).await;
        world.add_planned_use(app, admin, &(country, "PROMOTION", "PLANNED", Some("2021-06-01"))).await;
        world.add_pilot(app, admin, &(country, Draft, "IN_PROGRESS", Some("2021-02-01"), None)).await;
        world.add_event(app, admin, &format!("Event {country}"), Today(3 + c as i64)).await;
        world.add_milestone(app, admin, &("Milestone", Today(-2), "AT_RISK", None, None)).await;
    }
}

#[tokio::test]
async fn the_dashboard_costs_the_same_number_of_statements_whatever_the_data_size() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let mut world = World::new(&app, &admin).await;
    let cost = async |world: &World| {
        let vars = json!({ "filter": {}, "top": 5, "events": 5 });
        let (statements, data) = app.fewest_statements(DASHBOARD, vars, &admin).await;
        let figures = figures_of(&data["dashboard"]);
        assert_eq!(figures, world.expected(&Filter::default(), Viewer::Everything, 5, 5));
        (statements, figures)
    };

    // Small: one country, five feedback items; every list already has rows, so any loader runs.
    spread_records(&app, &admin, &mut world, &["MAR"], 5).await;
    let (small, figures) = cost(&world).await;
    assert!(!figures.feedback_by_country.is_empty() && !figures.upcoming_events.is_empty());
    assert!(!figures.at_risk_milestones.is_empty() && !figures.feedback_by_section.is_empty());

    // Twelve times the feedback, over six countries, each with roles, planned uses, pilots, ….
    spread_records(&app, &admin, &mut world, &["SLV", "GHA", "PRT", "MEX", "KEN", "PHL"], 10).await;
    let (large, figures) = cost(&world).await;
    assert_eq!(figures.responses.feedback, 65);
    println!("dashboard statements: {small} with 5 feedback items, {large} with 65");
    assert_eq!(small, large, "the dashboard's statements must not grow with the data");
}

#[tokio::test]
async fn the_median_response_time_counts_only_days_that_are_known() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    const RESPONSES: &str = "{ dashboard { responses { responded medianDaysToResponse medianOver } } }";
    // The demo's six requests were received "in February 2021": responded, but with no day to count from.
    let demo = app.data(RESPONSES, json!({}), &admin).await["dashboard"]["responses"].clone();
    assert!(demo["responded"].as_i64().unwrap() >= 6);
    assert_eq!((demo["medianOver"].as_i64(), demo["medianDaysToResponse"].as_f64()), (Some(0), None));
    let stored = entity::feedback::Entity::find().all(&app.db).await.unwrap();
    assert!(stored.iter().any(|f| f.received_precision == entity::common::DatePrecision::Month));

    let version = app
        .data(
            r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-11-REVISED"}}) { edges { node { id } } } }"#,
            json!({}),
            &admin,
        )
        .await["guideVersions"]["edges"][0]["node"]["id"]
        .clone();
    let ten_days_ago = (Utc::now().date_naive() - Days::new(10)).to_string();
    let submit = r#"mutation($v: ID!, $on: Date!, $p: DatePrecision!) { submitFeedback(input: {country: "MAR", channel: BILATERAL, kind: QUESTION, body: "When is the online version due?", guideVersion: $v, sections: ["II"], receivedOn: $on, receivedPrecision: $p}) { id receivedOn receivedPrecision } }"#;
    for precision in ["DAY", "MONTH"] {
        let on = if precision == "DAY" { ten_days_ago.clone() } else { "2022-01-01".to_owned() };
        let created =
            app.data(submit, json!({ "v": version, "on": on, "p": precision }), &admin).await["submitFeedback"].clone();
        assert_eq!(created["receivedPrecision"], precision);
        app.data(
            "mutation($id: ID!) { setFeedbackStatus(id: $id, status: ACCEPTED, response: \"In the next release\", expectedVersion: 1) { id } }",
            json!({ "id": created["id"] }),
            &admin,
        )
        .await;
    }
    let after = app.data(RESPONSES, json!({}), &admin).await["dashboard"]["responses"].clone();
    assert_eq!((after["medianOver"].as_i64(), after["medianDaysToResponse"].as_f64()), (Some(1), Some(10.0)));
}
