//! Survey import: the bundled sample export, every shape of answer a form
//! produces, the mess of real exports, Excel against CSV, daylight saving,
//! and every error with its row, column and cell.
//!
//! Expected answers are worked out by hand from the export's cells and the
//! mapping's words (the comments say how).

// Offsets are exact multiples of 0.25 h: compared exactly.
#![allow(clippy::float_cmp)]

use std::process::Command;

use mentor_match::{Cohort, Error, Location, Role, SurveyMapping, SurveyTable};
use serde_json::{Value, json};

mod support;

const SAMPLE_EXPORT: &[u8] = include_bytes!("../examples/data/survey-export.csv");
const SAMPLE_MAPPING: &str = include_str!("../examples/data/survey-mapping.toml");

fn sample() -> Cohort {
    let mapping: SurveyMapping = SAMPLE_MAPPING.parse().unwrap();
    mapping
        .import(&SurveyTable::from_csv(SAMPLE_EXPORT).unwrap())
        .unwrap()
}

/// The participant `id` as the cohort file writes it.
fn written(cohort: &Cohort, id: &str) -> Value {
    let value = serde_json::to_value(cohort).unwrap();
    value["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no participant {id}"))
        .clone()
}

#[test]
fn the_sample_imports_to_the_expected_cohort() {
    let cohort = sample();
    // 40 rows, Arjun Mehta twice.
    assert_eq!(cohort.participants().len(), 39);
    assert_eq!(
        cohort.name(),
        Some("Design & engineering mentoring, spring 2025")
    );
    assert_eq!(cohort.topics().len(), 5);
    assert_eq!(cohort.goals().len(), 3);
    assert_eq!(cohort.slots().len(), 9);
    assert_eq!(cohort.participants()[0].id(), "aino.virtanen@example.com");
    let roles = |role: Role| {
        cohort
            .participants()
            .iter()
            .filter(|p| p.role() == role)
            .count()
    };
    assert_eq!(
        (roles(Role::Mentor), roles(Role::Mentee), roles(Role::Both)),
        (12, 23, 4)
    );

    // Row 2: the areas list Google-style with ", " between options that
    // contain commas themselves; "Expert" is 5 on the depth scale; "3-4 hours"
    // is 3.5; Helsinki is UTC+2 on 2025-03-03; the checkboxes end with ";".
    assert_eq!(
        written(&cohort, "aino.virtanen@example.com"),
        json!({
            "id": "aino.virtanen@example.com", "name": "Aino Virtanen", "role": "mentor",
            "offers": {"service-design": 5, "research": 5, "facilitation": 5},
            "capacity": 2,
            "goals": {"competence": 4, "relatedness": 5, "autonomy": 3},
            "hours_per_month": 3.5, "languages": ["en", "fi", "sv"], "team": "Design",
            "slots": ["mon-am", "wed-pm"], "utc_offset": 2.0
        })
    );
    // A mentee: rating columns ("Not at all" is no answer), the level from a
    // multi-select with "Skill: " prefixes and the level column
    // ("Intermediate" is 3), goals from the mentee block (the second columns
    // of the same headers), the manager's id lower-cased.
    assert_eq!(
        written(&cohort, "anna.korhonen@example.com"),
        json!({
            "id": "anna.korhonen@example.com", "name": "Anna Korhonen", "role": "mentee",
            "seeks": {"service-design": 5, "research": 3, "facilitation": 4},
            "level": {"frontend": 3},
            "goals": {"competence": 5, "relatedness": 4, "autonomy": 4},
            "hours_per_month": 1.5, "languages": ["en", "fi"], "team": "Design",
            "manager": "aino.virtanen@example.com",
            "prefers": ["sara.lindqvist@example.com"],
            "slots": ["mon-am", "tue-am", "wed-pm"], "utc_offset": 2.0
        })
    );
    // "Both": each block filled; a goal answered in both blocks counts with
    // the higher answer (competence 4 and 5, relatedness 4 and 3, autonomy
    // 5 and 4); Lisbon is UTC+0 in March, which the file leaves out.
    assert_eq!(
        written(&cohort, "maria.santos@example.com"),
        json!({
            "id": "maria.santos@example.com", "name": "Maria Santos", "role": "both",
            "offers": {"research": 3}, "capacity": 1,
            "seeks": {"frontend": 5, "data": 3}, "mentors_wanted": 2,
            "goals": {"competence": 5, "relatedness": 4, "autonomy": 5},
            "hours_per_month": 5.0, "languages": ["en", "fi"], "team": "Design",
            "slots": ["mon-pm", "thu-am"]
        })
    );
    // Resubmitted: the later row (41, " Arjun.Mehta@example.com") counts, and
    // takes its place at the end.
    let arjun = written(&cohort, "arjun.mehta@example.com");
    assert_eq!(arjun["hours_per_month"], json!(3.0));
    assert_eq!(arjun["seeks"], json!({"facilitation": 4, "data": 5}));
    assert_eq!(arjun.get("level"), None);
    assert_eq!(cohort.participants()[38].id(), "arjun.mehta@example.com");
    // Offsets as typed and place names.
    let offset = |id: &str| cohort.participant(id).unwrap().utc_offset();
    assert_eq!(offset("priya.nair@example.com"), 5.5); // UTC+05:30
    assert_eq!(offset("noah.williams@example.com"), -5.0); // GMT-5
    assert_eq!(offset("james.carter@example.com"), -5.0); // America/New_York, before 9 March
    assert_eq!(offset("sara.lindqvist@example.com"), 1.0); // Europe/Stockholm, winter
    assert_eq!(offset("kenji.sato@example.com"), 9.0); // Asia/Tokyo
    // Ids with stray spaces and capitals ("MIKKO.LAINE@example.com ").
    let oskar = cohort.participant("oskar.salo@example.com").unwrap();
    assert_eq!(oskar.manager(), cohort.index_of("mikko.laine@example.com"));
    assert!(cohort.participant("hanna.makinen@example.com").is_some());
    // The avoids cell "james.carter@example.com; olof.berg@example.com;".
    let lucas = cohort.participant("lucas.martin@example.com").unwrap();
    assert_eq!(lucas.avoids().len(), 2);
    // The mapping's rules and objective.
    assert!(cohort.rules().is_on(mentor_match::Rule::ForbidManager));
    assert_eq!(cohort.objective(), mentor_match::Objective::Coverage);
    // And it matches.
    let matching = cohort.matcher().solve().unwrap();
    assert!(matching.matched() > 20);
}

#[test]
fn an_imported_cohort_round_trips_through_json() {
    let cohort = sample();
    let text = serde_json::to_string(&cohort).unwrap();
    assert_eq!(text.parse::<Cohort>().unwrap(), cohort);
}

/// The sample export as an Excel workbook, as Microsoft Forms would write it:
/// cells that read as numbers are numbers.
fn sample_xlsx() -> Vec<u8> {
    let table = SurveyTable::from_csv(SAMPLE_EXPORT).unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, header) in table.headers().iter().enumerate() {
        sheet
            .write_string(0, u16::try_from(c).unwrap(), header)
            .unwrap();
    }
    for (r, row) in table.rows().iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (u32::try_from(r + 1).unwrap(), u16::try_from(c).unwrap());
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(r, c, number).map(|_| ()),
                Err(_) if cell.is_empty() => Ok(()),
                Err(_) => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn the_xlsx_export_imports_as_the_csv_export() {
    let bytes = sample_xlsx();
    let mapping: SurveyMapping = SAMPLE_MAPPING.parse().unwrap();
    let from_xlsx = mapping.import(&SurveyTable::read(&bytes).unwrap()).unwrap();
    assert_eq!(from_xlsx, sample());
    // The same table, numbers written as the CSV has them ("2", not "2.0").
    assert_eq!(
        SurveyTable::from_xlsx(&bytes).unwrap(),
        SurveyTable::from_csv(SAMPLE_EXPORT).unwrap()
    );
    let error = SurveyTable::from_xlsx(b"PK\x03\x04 not really a zip").unwrap_err();
    assert!(
        matches!(error, Error::BadExport { row: None, .. }),
        "{error}"
    );
}

/// A mapping with one topic, for small exports; `extra` is appended.
fn mapping(extra: &str) -> SurveyMapping {
    let text = format!(
        r#"
[questionnaire]
topics = [{{ id = "rust", label = "Rust" }}, {{ id = "sql", label = "SQL, databases" }}]
goals = [{{ id = "career", label = "Career" }}]
slots = [
  {{ id = "mon-am", label = "Monday morning", day = 0, start = 9, end = 12 }},
  {{ id = "mon-pm", label = "Monday afternoon", day = 0, start = 13, end = 17 }},
  {{ id = "tue-am", label = "Tuesday morning", day = 1, start = 9, end = 12 }},
]

[columns]
id = "Email"
role = "Role"

{extra}
"#
    );
    text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn import(mapping: &SurveyMapping, csv: &str) -> Result<Cohort, Error> {
    mapping.import(&SurveyTable::from_csv(csv.as_bytes())?)
}

/// The row, column header, letter and value of a bad cell.
fn bad_cell(error: &Error) -> (usize, &str, &str, &str) {
    match error {
        Error::BadCell {
            at: Location::Cell { row, column },
            letter,
            value,
            ..
        } => (*row, column.as_str(), letter.as_str(), value.as_str()),
        other => panic!("not a bad cell: {other:?} ({other})"),
    }
}

const RUST_RATING: &str = r#"
[[ratings]]
column = "Rust"
topic = "rust"
field = "offers"
scale = "depth"

[scales]
depth = { "Beginner" = 1, "Intermediate" = 3, "Expert" = 5 }
"#;

#[test]
fn rating_columns_take_numbers_and_words() {
    let m = mapping(RUST_RATING);
    let cohort = import(
        &m,
        "Email,Role,Rust\na,mentor,Expert\nb,mentor, intermediate \nc,mentor,2\n",
    )
    .unwrap();
    let offers = |id: &str| cohort.participant(id).unwrap().offers().to_vec();
    assert_eq!(offers("a"), [(0, 5)]);
    assert_eq!(offers("b"), [(0, 3)]);
    assert_eq!(offers("c"), [(0, 2)]);

    for (cell, shown) in [
        ("Guru", "Guru"),
        ("6", "6"),
        ("3.5", "3.5"),
        ("\u{1b}[31mred", "\u{1b}[31mred"),
    ] {
        let error = import(
            &m,
            &format!("Email,Role,Rust\na,mentor,Expert\nb,mentor,{cell}\n"),
        )
        .unwrap_err();
        assert_eq!(bad_cell(&error), (3, "Rust", "C", shown));
        assert!(error.to_string().contains("\"Beginner\""), "{error}");
    }
    let error = import(&m, "Email,Role,Rust\nb,mentor,Guru\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "row 2, column \"Rust\" (C): cell \"Guru\": expected one of \"Beginner\", \"Expert\", \"Intermediate\" or an integer in 0..=5"
    );
    // Control characters in a cell are escaped in the message.
    let error = import(&m, "Email,Role,Rust\nb,mentor,\"a\u{1b}b\"\n").unwrap_err();
    assert!(error.to_string().contains("cell \"a\\u{1b}b\""), "{error}");
}

#[test]
fn multi_select_columns_with_separators_inside_options_prefixes_and_levels() {
    let m = mapping(
        r#"
[[choices]]
column = "Can teach"
field = "offers"
separator = ","
level = 4

[[choices]]
column = "Wants"
field = "seeks"
prefix = "Skill:"
level_column = "How much"
level_scale = "much"
options = { "Postgres" = "sql" }

[scales]
much = { "A little" = 2, "Very much" = 5 }
"#,
    );
    let csv = "Email,Role,Can teach,Wants,How much\n\
               a,both,\"SQL, databases, Rust,\",Skill: Rust;,Very much\n\
               b,mentee,,Skill: Postgres;Rust;;,A little\n\
               c,mentor,\"sql, databases\",,\n";
    let cohort = import(&m, csv).unwrap();
    let a = cohort.participant("a").unwrap();
    assert_eq!(a.offers(), [(0, 4), (1, 4)]);
    assert_eq!(a.seeks(), [(0, 5)]);
    assert_eq!(cohort.participant("b").unwrap().seeks(), [(0, 2), (1, 2)]);
    assert_eq!(cohort.participant("c").unwrap().offers(), [(1, 4)]);

    // An option that is none of the topics.
    let error = import(
        &m,
        "Email,Role,Can teach,Wants,How much\nc,mentor,\"Rust, Go\",,\n",
    )
    .unwrap_err();
    assert_eq!(bad_cell(&error), (2, "Can teach", "C", "Rust, Go"));
    assert!(
        error.to_string().contains("\"Go\" is none of the options"),
        "{error}"
    );
    // Topics listed, but their level left blank.
    let error = import(&m, "Email,Role,Can teach,Wants,How much\nb,mentee,,Rust,\n").unwrap_err();
    assert_eq!(bad_cell(&error), (2, "How much", "E", ""));
    // A level that is not on the scale.
    let error = import(
        &m,
        "Email,Role,Can teach,Wants,How much\nb,mentee,,Rust,Lots\n",
    )
    .unwrap_err();
    assert_eq!(bad_cell(&error), (2, "How much", "E", "Lots"));
}

#[test]
fn each_side_fills_only_its_own_block() {
    let m = mapping(
        r#"
[roles]
mentor = ["I'd like to be a mentor"]
mentee = ["I'd like to find a mentor"]
both = ["Both"]

[columns.capacity]
header = "How many"
occurrence = 1
[columns.mentors_wanted]
header = "How many"
occurrence = 2

[[ratings]]
column = { header = "Rust", occurrence = 1 }
topic = "rust"
field = "offers"

[[ratings]]
column = { letter = "F" }
topic = "rust"
field = "seeks"

[[goals]]
column = { header = "Career", occurrence = 1 }
goal = "career"
side = "mentor"

[[goals]]
column = { header = "Career", occurrence = 2 }
goal = "career"
side = "mentee"
"#,
    );
    let header = "Email,Role,Rust,How many,Career,Rust,How many,Career\n";
    let csv = format!(
        "{header}m,I'd like to be a mentor,5,2,3,,,\n\
         e,I'D LIKE TO FIND A MENTOR,,,,4,2,5\n\
         b,Both,4,1,2,2,1,4\n"
    );
    let cohort = import(&m, &csv).unwrap();
    let m_ = cohort.participant("m").unwrap();
    assert_eq!(
        (m_.role(), m_.offers(), m_.capacity(), m_.goals()),
        (Role::Mentor, &[(0, 5)][..], 2, &[(0, 3)][..])
    );
    let e = cohort.participant("e").unwrap();
    assert_eq!(
        (e.role(), e.seeks(), e.mentors_wanted(), e.goals()),
        (Role::Mentee, &[(0, 4)][..], 2, &[(0, 5)][..])
    );
    let b = cohort.participant("b").unwrap();
    assert_eq!(
        (b.offers(), b.seeks(), b.goals()),
        (&[(0, 4)][..], &[(0, 2)][..], &[(0, 4)][..])
    );

    // A mentee who answered the mentor block.
    let error = import(
        &m,
        &format!("{header}e,I'd like to find a mentor,,,3,4,1,5\n"),
    )
    .unwrap_err();
    assert_eq!(bad_cell(&error), (2, "Career", "E", "3"));
    let error = import(&m, &format!("{header}m,I'd like to be a mentor,5,1,,,2,\n")).unwrap_err();
    assert_eq!(bad_cell(&error), (2, "How many", "G", "2"));
    // Role words the mapping does not know, and a blank role.
    let error = import(&m, &format!("{header}m,Mentor please,5,1,,,,\n")).unwrap_err();
    assert_eq!(bad_cell(&error), (2, "Role", "B", "Mentor please"));
    let error = import(&m, &format!("{header}m,,5,1,,,,\n")).unwrap_err();
    assert_eq!(bad_cell(&error), (2, "Role", "B", ""));
    // A mentor who offers nothing: the builder's error, at the row.
    let error = import(&m, &format!("{header}m,mentor,,1,,,,\n")).unwrap_err();
    assert!(
        matches!(&error, Error::MissingAnswers { at: Location::Row(2), field, .. } if field == "offers"),
        "{error:?}"
    );
    // Bad counts.
    let error = import(&m, &format!("{header}m,mentor,5,-1,,,,\n")).unwrap_err();
    assert_eq!(bad_cell(&error), (2, "How many", "D", "-1"));
    let error = import(&m, &format!("{header}e,mentee,,,,4,0,\n")).unwrap_err();
    assert_eq!(bad_cell(&error), (2, "How many", "G", "0"));
}

#[test]
fn time_zones_as_offsets_and_place_names() {
    let zones = |date: &str| {
        mapping(&format!(
            "[columns.time_zone]\nheader = \"Zone\"\n\n[time_zone]\ndate = \"{date}\"\nnames = {{ \"Stockholm\" = \"Europe/Stockholm\" }}\n\n[[ratings]]\ncolumn = \"Rust\"\ntopic = \"rust\"\nfield = \"offers\"\n"
        ))
    };
    let csv = "Email,Role,Rust,Zone\n\
               a,mentor,5,Europe/Stockholm\n\
               b,mentor,5,europe/stockholm\n\
               c,mentor,5,Stockholm\n\
               d,mentor,5,America/New_York\n\
               e,mentor,5,UTC+05:30\n\
               f,mentor,5,GMT-5\n\
               g,mentor,5,Asia/Kathmandu\n\
               h,mentor,5,\n";
    let offsets = |date: &str| -> Vec<f64> {
        let cohort = import(&zones(date), csv).unwrap();
        cohort
            .participants()
            .iter()
            .map(mentor_match::Participant::utc_offset)
            .collect()
    };
    // Stockholm: CET (+1) in winter, CEST (+2) from the last Sunday of March
    // to the last Sunday of October; New York: EST (-5), EDT (-4) from the
    // second Sunday of March to the first Sunday of November.
    assert_eq!(
        offsets("2025-01-15"),
        [1.0, 1.0, 1.0, -5.0, 5.5, -5.0, 5.75, 0.0]
    );
    assert_eq!(
        offsets("2025-07-15"),
        [2.0, 2.0, 2.0, -4.0, 5.5, -5.0, 5.75, 0.0]
    );
    // Between the two switches: New York already on summer time, Stockholm not.
    assert_eq!(offsets("2025-03-20")[..4], [1.0, 1.0, 1.0, -4.0]);

    for (cell, row) in [("Mars/Olympus", 2), ("UTC+05:20", 2), ("GMT+15", 2)] {
        let error = import(
            &zones("2025-01-15"),
            &format!("Email,Role,Rust,Zone\na,mentor,5,{cell}\n"),
        )
        .unwrap_err();
        assert_eq!(bad_cell(&error), (row, "Zone", "D", cell));
    }
    // A place name needs the mapping's date.
    let no_date = mapping(
        "[columns.time_zone]\nheader = \"Zone\"\n\n[[ratings]]\ncolumn = \"Rust\"\ntopic = \"rust\"\nfield = \"offers\"\n",
    );
    let error = import(
        &no_date,
        "Email,Role,Rust,Zone\na,mentor,5,UTC+1\nb,mentor,5,Europe/Oslo\n",
    )
    .unwrap_err();
    assert_eq!(bad_cell(&error), (3, "Zone", "D", "Europe/Oslo"));
    assert!(error.to_string().contains("time_zone.date"), "{error}");
}

#[test]
fn meeting_times_as_checkboxes_and_as_a_grid() {
    let m = mapping(
        r#"
[columns.meeting_times]
header = "When"

[[meeting_times.grid]]
column = "Monday"
options = { "Morning" = "mon-am", "Afternoon" = "mon-pm" }

[[meeting_times.grid]]
column = "Tuesday"
options = { "Morning" = "tue-am" }

[[ratings]]
column = "Rust"
topic = "rust"
field = "offers"
"#,
    );
    let csv = "Email,Role,Rust,When,Monday,Tuesday\n\
               a,mentor,5,Monday morning;tuesday MORNING;,,\n\
               b,mentor,5,,Morning;Afternoon,Morning\n\
               c,mentor,5,mon-pm,,Morning\n";
    let cohort = import(&m, csv).unwrap();
    let slots = |id: &str| cohort.participant(id).unwrap().slots().to_vec();
    assert_eq!(slots("a"), [0, 2]);
    assert_eq!(slots("b"), [0, 1, 2]);
    assert_eq!(slots("c"), [1, 2]);
    let error = import(
        &m,
        "Email,Role,Rust,When,Monday,Tuesday\na,mentor,5,,Evening,\n",
    )
    .unwrap_err();
    assert_eq!(bad_cell(&error), (2, "Monday", "E", "Evening"));
    let error = import(
        &m,
        "Email,Role,Rust,When,Monday,Tuesday\na,mentor,5,Sunday brunch,,\n",
    )
    .unwrap_err();
    assert_eq!(bad_cell(&error), (2, "When", "D", "Sunday brunch"));
}

#[test]
fn single_answers_and_their_bad_cells() {
    let m = mapping(
        &r#"
[columns]
name = "Name"
team = "Team"
manager = "Manager"
languages = "Languages"
hours = "Hours"
seniority = "Years"
prefers = "Prefers"
avoids = "Avoids"

[languages]
Finnish = "fi"
English = "en"

[values.hours]
"About an hour" = 1

[[ratings]]
column = "Rust"
topic = "rust"
field = "offers"

[[ratings]]
column = "Learn Rust"
topic = "rust"
field = "seeks"
"#
        .replace("[columns]\n", ""),
    );
    let header =
        "Email,Role,Name,Team,Manager,Languages,Hours,Years,Prefers,Avoids,Rust,Learn Rust\n";
    let csv = format!(
        "{header} Boss@X ,mentor,Bo Ss,Core  team,,English,4.5,10,,,5,\n\
         b@x,mentee, Bea ,Core team,BOSS@X,Finnish;English;,\"2,5\",2,boss@x,,,3\n\
         c@x,mentee,,,,,About an hour,,,boss@x; b@x,,4\n"
    );
    let cohort = import(&m, &csv).unwrap();
    let boss = cohort.participant("boss@x").unwrap();
    assert_eq!(
        (
            boss.name(),
            boss.team(),
            boss.hours_per_month(),
            boss.seniority()
        ),
        (Some("Bo Ss"), Some("Core team"), Some(4.5), Some(10))
    );
    assert_eq!(boss.languages(), ["en"]);
    let b = cohort.participant("b@x").unwrap();
    assert_eq!(
        (b.name(), b.hours_per_month(), b.manager()),
        (Some("Bea"), Some(2.5), cohort.index_of("boss@x"))
    );
    assert_eq!(b.languages(), ["en", "fi"]);
    assert_eq!(b.prefers(), [cohort.index_of("boss@x").unwrap()]);
    let c = cohort.participant("c@x").unwrap();
    assert_eq!(c.hours_per_month(), Some(1.0));
    assert_eq!(c.avoids().len(), 2);

    let row = |cells: &str| format!("{header}boss@x,mentor,,,,,,,,,5,\n{cells}\n");
    let cases = [
        ("b@x,mentee,,,nobody@x,,,,,,,3", "Manager", "E", "nobody@x"),
        ("b@x,mentee,,,B@X,,,,,,,3", "Manager", "E", "B@X"),
        ("b@x,mentee,,,,Klingon,,,,,,3", "Languages", "F", "Klingon"),
        ("b@x,mentee,,,,,lots,,,,,3", "Hours", "G", "lots"),
        ("b@x,mentee,,,,,0,,,,,3", "Hours", "G", "0"),
        ("b@x,mentee,,,,,,senior,,,,3", "Years", "H", "senior"),
        (
            "b@x,mentee,,,,,,,boss@x;ghost@x,,,3",
            "Prefers",
            "I",
            "boss@x;ghost@x",
        ),
        ("b@x,mentee,,,,,,,,b@x,,3", "Avoids", "J", "b@x"),
        ("b@x,mentee,,,,,,,,,,many", "Learn Rust", "L", "many"),
        (" ,mentee,,,,,,,,,,3", "Email", "A", " "),
    ];
    for (cells, column, letter, value) in cases {
        let error = import(&m, &row(cells)).unwrap_err();
        assert_eq!(bad_cell(&error), (3, column, letter, value), "{cells}");
    }
}

#[test]
fn the_mess_of_real_exports() {
    let m = mapping(
        r#"
[columns.hours]
header = "Hours per month"

[[ratings]]
column = "Rust level"
topic = "rust"
field = "offers"
"#,
    );
    // A byte-order mark, headers with trailing spaces and a line break,
    // columns the mapping does not name, a semicolon-delimited file, blank
    // lines, ids with spaces and capitals.
    let csv = "\u{feff}Timestamp;Email ;\"Role\r\n\";\"Hours\n per   month \";Rust level;Comments\n\
               2025-02-03 09:00;  Ana@Example.COM ;mentor;4;5;\"Happy to help; really\"\n\
               ;;;;;\n\
               2025-02-03 09:10;ben@example.com;mentor;2;3;\n";
    let cohort = import(&m, csv).unwrap();
    let ids: Vec<&str> = cohort
        .participants()
        .iter()
        .map(mentor_match::Participant::id)
        .collect();
    assert_eq!(ids, ["ana@example.com", "ben@example.com"]);
    // The row numbers of errors count the blank row as a spreadsheet does.
    let bad = csv.replace("ben@example.com;mentor;2", "ben@example.com;mentor;x");
    let error = import(&m, &bad).unwrap_err();
    assert_eq!(bad_cell(&error), (4, "Hours per month", "D", "x"));
}

#[test]
fn a_header_that_heads_two_columns_is_named_by_occurrence_or_letter() {
    let m = |column: &str| {
        mapping(&format!(
            "[[ratings]]\ncolumn = {column}\ntopic = \"rust\"\nfield = \"offers\"\n\n[[ratings]]\ncolumn = {{ letter = \"d\" }}\ntopic = \"rust\"\nfield = \"seeks\"\n"
        ))
    };
    let csv = "Email,Role,Rust,Rust\na,both,5,2\n";
    let cohort = import(&m("{ header = \"Rust\", occurrence = 1 }"), csv).unwrap();
    let a = cohort.participant("a").unwrap();
    assert_eq!((a.offers(), a.seeks()), (&[(0, 5)][..], &[(0, 2)][..]));
    let error = import(&m("\"Rust\""), csv).unwrap_err();
    assert_eq!(
        error,
        Error::AmbiguousColumn {
            field: "ratings[0].column".into(),
            header: "Rust".into(),
            letters: vec!["C".into(), "D".into()],
        }
    );
    let error = import(&m("{ header = \"Rust\", occurrence = 3 }"), csv).unwrap_err();
    assert_eq!(
        error,
        Error::MissingColumn {
            field: "ratings[0].column".into(),
            column: "occurrence 3 of column \"Rust\"".into(),
        }
    );
}

#[test]
fn a_column_the_mapping_names_must_be_there() {
    let m = mapping(
        "[[ratings]]\ncolumn = \"Rust\"\ntopic = \"rust\"\nfield = \"offers\"\n\n[[goals]]\ncolumn = { letter = \"Z\" }\ngoal = \"career\"\n",
    );
    let error = import(&m, "Email,Role,Python\na,mentor,5\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "mapping: `ratings[0].column` names column \"Rust\", which the export does not have"
    );
    let error = import(&m, "Email,Role,Rust\na,mentor,5\n").unwrap_err();
    assert_eq!(
        error,
        Error::MissingColumn {
            field: "goals[0].column".into(),
            column: "column Z".into(),
        }
    );
}

#[test]
fn a_respondent_who_answers_twice() {
    let rating = "[[ratings]]\ncolumn = \"Rust\"\ntopic = \"rust\"\nfield = \"offers\"\n";
    let csv = "Email,Role,Rust\nana@x,mentor,3\nben@x,mentor,4\n ANA@x ,mentor,5\n";
    let error = import(&mapping(rating), csv).unwrap_err();
    assert_eq!(
        error,
        Error::DuplicateRespondent {
            at: Location::Row(4),
            id: "ana@x".into(),
            first_row: 2,
        }
    );
    assert!(error.to_string().contains("keep-latest"), "{error}");
    let keep = mapping(&format!("[form]\nduplicates = \"keep-latest\"\n\n{rating}"));
    let cohort = import(&keep, csv).unwrap();
    let ids: Vec<&str> = cohort
        .participants()
        .iter()
        .map(mentor_match::Participant::id)
        .collect();
    assert_eq!(ids, ["ben@x", "ana@x"]);
    assert_eq!(cohort.participant("ana@x").unwrap().offers(), [(0, 5)]);
    // A superseded answer is not read: the later one corrects it.
    let corrected = "Email,Role,Rust\nana@x,mentor,lots\nana@x,mentor,5\n";
    assert_eq!(import(&keep, corrected).unwrap().participants().len(), 1);
}

#[test]
fn mapping_errors_name_the_line_or_the_key() {
    let base = "[questionnaire]\ntopics = [{ id = \"rust\" }]\ngoals = [{ id = \"career\" }]\n\n[columns]\nid = \"Email\"\nrole = \"Role\"\n";
    let parse = |extra: &str| format!("{base}{extra}").parse::<SurveyMapping>();
    match parse("colour = \"blue\"\n").unwrap_err() {
        Error::MappingSyntax { line, message, .. } => {
            assert_eq!(line, 8);
            assert!(message.contains("colour"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse("[columns2]\n").unwrap_err(),
        Error::MappingSyntax { line: 8, .. }
    ));
    let error =
        parse("[[ratings]]\ncolumn = { letter = \"K1\" }\ntopic = \"rust\"\nfield = \"offers\"\n")
            .unwrap_err();
    assert!(
        matches!(&error, Error::MappingSyntax { line: 9, message, .. } if message.contains("K1")),
        "{error:?}"
    );
    let cases = [
        (
            "[[ratings]]\ncolumn = \"R\"\ntopic = \"go\"\nfield = \"offers\"\n",
            "ratings[0].topic",
            "go",
        ),
        (
            "[[ratings]]\ncolumn = \"R\"\ntopic = \"rust\"\nfield = \"offers\"\nscale = \"nope\"\n",
            "ratings[0].scale",
            "nope",
        ),
        (
            "[[goals]]\ncolumn = \"G\"\ngoal = \"fame\"\n",
            "goals[0].goal",
            "fame",
        ),
        ("[scales]\nx = { \"Lots\" = 7 }\n", "scales.x.Lots", "7"),
        (
            "[time_zone]\ndate = \"3.3.2025\"\n",
            "time_zone.date",
            "3.3.2025",
        ),
        (
            "[time_zone]\nnames = { \"Home\" = \"Atlantis\" }\n",
            "time_zone.names.Home",
            "Atlantis",
        ),
        (
            "[[choices]]\ncolumn = \"C\"\nfield = \"seeks\"\nlevel = 9\n",
            "choices[0].level",
            "9",
        ),
        (
            "[[choices]]\ncolumn = \"C\"\nfield = \"seeks\"\n",
            "choices[0]",
            "",
        ),
        (
            "[[choices]]\ncolumn = \"C\"\nfield = \"seeks\"\nlevel = 3\noptions = { \"Go\" = \"go\" }\n",
            "choices[0].options.Go",
            "go",
        ),
        ("[form]\nseparator = \" \"\n", "form.separator", " "),
        (
            "[meeting_times]\noptions = { \"Noon\" = \"noon\" }\n",
            "meeting_times.options.Noon",
            "noon",
        ),
    ];
    for (extra, field, value) in cases {
        match parse(extra).unwrap_err() {
            Error::BadMapping {
                field: f, value: v, ..
            } => assert_eq!((f.as_str(), v.as_str()), (field, value), "{extra}"),
            other => panic!("{extra}: {other:?}"),
        }
    }
}

#[test]
fn exports_that_cannot_be_read() {
    assert!(matches!(
        SurveyTable::from_csv(b"").unwrap_err(),
        Error::BadExport { row: Some(1), .. }
    ));
    let error = SurveyTable::from_csv(b"Email,Role\na@x,mentor\n\xff\xfe,mentee\n").unwrap_err();
    assert!(
        matches!(error, Error::BadExport { row: Some(3), .. }),
        "{error:?}"
    );
    let error = SurveyTable::from_csv(b"Email,Role\na@x,mentor,surprise\n").unwrap_err();
    assert!(
        matches!(error, Error::BadExport { row: Some(2), .. }),
        "{error:?}"
    );
}

// The command line, as the README shows it.

/// `import_survey`, built with this test's profile (once per process), run
/// from the project's folder.
fn import_survey() -> Command {
    let mut command = support::examples::command("import_survey");
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

#[test]
fn the_command_line_writes_the_cohort_file() {
    let output = import_survey()
        .args([
            "examples/data/survey-export.csv",
            "--mapping",
            "examples/data/survey-mapping.toml",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let cohort = Cohort::from_slice(&output.stdout).unwrap();
    assert_eq!(cohort, sample());

    let dir = std::env::temp_dir().join(format!("mentor-match-survey-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let xlsx = dir.join("export.xlsx");
    std::fs::write(&xlsx, sample_xlsx()).unwrap();
    let out = dir.join("cohort.json");
    let output = import_survey()
        .arg(&xlsx)
        .args(["--mapping", "examples/data/survey-mapping.toml", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
    assert_eq!(
        Cohort::from_slice(&std::fs::read(&out).unwrap()).unwrap(),
        cohort
    );

    // A bad cell: one line on stderr, exit status 1, nothing on stdout.
    let bad = dir.join("bad.csv");
    let text =
        String::from_utf8(SAMPLE_EXPORT.to_vec())
            .unwrap()
            .replacen(",3-4 hours,", ",lots,", 1);
    std::fs::write(&bad, text).unwrap();
    let output = import_survey()
        .arg(&bad)
        .args(["--mapping", "examples/data/survey-mapping.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("row 2, column \"Hours per month you can give\" (L): cell \"lots\""),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();

    // A usage error: exit status 2; --help on stdout.
    let output = import_survey()
        .arg("examples/data/survey-export.csv")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = import_survey().arg("--help").output().unwrap();
    assert!(output.status.success());
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("--mapping <MAPPING>")
    );
}

#[test]
fn the_readme_mapping_imports_and_its_error_reads_as_shown() {
    let readme = include_str!("../README.md");
    let section = &readme[readme.find("## From a form export").unwrap()..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let toml = &section[start..start + section[start..].find("```").unwrap()];
    let mapping: SurveyMapping = toml.parse().unwrap();
    let header = "Email,Name,Which role would you like?,Your manager's email,Languages,Your time zone,\
                  When can you meet?,How many mentees could you take?,How many mentors would you like?,\
                  Which areas can you guide in?,How deep is your expertise?,Hours per month,\
                  How much do you want to learn: Service design,Feel more competent,Feel more competent\n";
    let rows = [
        "Ana@x,Ana,I'd like to be a mentor,,Finnish;English,Europe/Stockholm,Monday morning;,2,,\"Research, interviews and testing, Service design\",Solid,1-2 hours,,Agree,",
        "ben@x,Ben,I'd like to find a mentor,ana@x,English,UTC+05:30,Wednesday afternoon,,1,,,4,Very much,,Strongly agree",
        "cy@x,Cy,Both,,English,GMT-5,Monday morning;Wednesday afternoon,1,2,Service design,Expert,3,Somewhat,Neutral,Agree",
        "dee@x,Dee,I'd like to find a mentor,,Finnish,Europe/Helsinki,,,,,,2,Somewhat,,",
        "ana@x,Ana,I'd like to be a mentor,,Finnish;English,Europe/Stockholm,Monday morning,2,,Service design,Expert,1-2 hours,,Agree,",
    ];
    let csv = format!("{header}{}\n", rows.join("\n"));
    let cohort = import(&mapping, &csv).unwrap();
    let ids: Vec<&str> = cohort
        .participants()
        .iter()
        .map(mentor_match::Participant::id)
        .collect();
    assert_eq!(ids, ["ben@x", "cy@x", "dee@x", "ana@x"]);
    let cy = cohort.participant("cy@x").unwrap();
    // Agree (4) as a mentor, Neutral (3) as a mentee: the higher counts.
    assert_eq!(
        (cy.offers(), cy.seeks(), cy.goals()),
        (&[(0, 5)][..], &[(0, 3)][..], &[(0, 4)][..])
    );
    assert_eq!(cohort.participant("ana@x").unwrap().utc_offset(), 1.0);

    let bad = format!("{csv}eve@x,Eve,I'd like to find a mentor,,,,,,,,,lots,Somewhat,,\n");
    let error = import(&mapping, &bad).unwrap_err();
    let shown = format!("import_survey: export.csv: {error}");
    assert!(readme.contains(&shown), "{shown}");
}
