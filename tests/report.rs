//! The HTML report as a browser shows it: headless Chromium lays out the
//! page of the bundled pilot and of a cohort with hostile names, takes a
//! screenshot and dumps the DOM after layout; the tests read both.
//!
//! Chromium is required: without it these tests fail, unless
//! `MENTOR_MATCH_SKIP_BROWSER=1` says to skip the browser (CI installs it).
//! `MENTOR_MATCH_CHROMIUM=PATH` names the browser (default: `/usr/bin/chromium`,
//! else `chromium` on the `PATH`); `MENTOR_MATCH_SCREENSHOTS=DIR` keeps the
//! screenshots in DIR to look at.

mod support;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mentor_match::{Cohort, Matching, html_report};
use serde_json::{Value, json};

/// The window the screenshots are taken in.
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 2000;

/// Longest a browser run may take before it counts as a hang.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(120);

/// The elements the report may hold: anything else in the DOM came from a
/// participant's answers.
const ELEMENTS: [&str; 37] = [
    "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "p", "b", "dl",
    "div", "dt", "dd", "span", "section", "svg", "line", "rect", "text", "g", "table", "thead",
    "tbody", "tr", "th", "td", "ul", "li", "code", "footer", "br", "small", "colgroup", "col",
];

/// A folder of its own for the files of one test.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("mentor-match-report-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The Chromium binary, or `None` when the environment says to skip the
/// browser. Panics with what to do when Chromium is missing.
fn chromium() -> Option<PathBuf> {
    // Debian's path first, then `chromium` anywhere on the PATH.
    let on_path = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("chromium"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let found = match std::env::var_os("MENTOR_MATCH_CHROMIUM") {
        Some(chosen) => Some(PathBuf::from(chosen)).filter(|path| path.is_file()),
        None => std::iter::once(PathBuf::from("/usr/bin/chromium"))
            .chain(on_path)
            .find(|path| path.is_file()),
    };
    if found.is_none() && std::env::var("MENTOR_MATCH_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("MENTOR_MATCH_SKIP_BROWSER=1: the browser checks of the report are skipped");
        return None;
    }
    Some(found.expect(
        "headless Chromium is needed to check the HTML report (`apt-get install chromium`, \
         as .ci/run does); set MENTOR_MATCH_SKIP_BROWSER=1 to skip these checks",
    ))
}

/// Runs Chromium headless on `page` with `arguments`, in a fresh profile;
/// its standard output.
fn browse(browser: &Path, scratch: &Scratch, page: &Path, arguments: &[String]) -> String {
    let profile = scratch.path(&format!("profile-{}", arguments.len()));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(arguments)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", browser.display()));
    // Read the output on threads, so that a full pipe never stalls the browser.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Chromium gave no answer within {BROWSER_TIMEOUT:?}: {arguments:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = out.join().unwrap().unwrap();
    let stderr = err.join().unwrap();
    assert!(status.success(), "Chromium failed ({status}): {stderr}");
    stdout
}

/// What a browser made of a report page.
struct Rendered {
    /// The DOM after layout, serialised.
    dom: String,
    /// The screenshot's pixels, RGB.
    pixels: Vec<[u8; 3]>,
}

/// Writes `html` to a file and renders it in Chromium: the screenshot and
/// the DOM. `None` when the browser is skipped.
fn render(name: &str, html: &str) -> Option<Rendered> {
    let browser = chromium()?;
    let scratch = Scratch::new(name);
    let page = scratch.path("report.html");
    std::fs::write(&page, html).unwrap();
    let screenshot = scratch.path("screenshot.png");
    browse(
        &browser,
        &scratch,
        &page,
        &[
            format!("--screenshot={}", screenshot.display()),
            format!("--window-size={WIDTH},{HEIGHT}"),
        ],
    );
    let dom = browse(&browser, &scratch, &page, &["--dump-dom".to_owned()]);
    if let Some(keep) = std::env::var_os("MENTOR_MATCH_SCREENSHOTS") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&screenshot, keep.join(format!("{name}.png"))).unwrap();
    }
    Some(Rendered {
        dom,
        pixels: read_png(&screenshot),
    })
}

/// The pixels of a PNG screenshot, checked to be [`WIDTH`] × [`HEIGHT`].
fn read_png(path: &Path) -> Vec<[u8; 3]> {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    assert_eq!(
        (frame.width, frame.height),
        (WIDTH, HEIGHT),
        "screenshot size"
    );
    let channels = frame.color_type.samples();
    assert!(channels >= 3, "a colour screenshot: {:?}", frame.color_type);
    buffer[..frame.buffer_size()]
        .chunks_exact(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect()
}

impl Rendered {
    /// Pixels within a small distance of `colour`.
    fn pixels_near(&self, colour: [u8; 3]) -> usize {
        self.pixels
            .iter()
            .filter(|p| p.iter().zip(colour).all(|(&a, b)| a.abs_diff(b) <= 12))
            .count()
    }

    /// Checks the screenshot is a drawn page, not blank: most of it is the
    /// background, a good part is not, and the charts' colours are there.
    fn assert_drawn(&self) {
        let background = self.pixels_near([0xf4, 0xf6, 0xf9]);
        let total = self.pixels.len();
        assert!(
            background > total / 10,
            "background {background} of {total}"
        );
        let ink = self
            .pixels
            .iter()
            .filter(|p| p.iter().all(|&c| c < 96))
            .count();
        assert!(
            ink > total / 400,
            "too little text: {ink} dark pixels of {total}"
        );
        let mut colours: Vec<[u8; 3]> = self.pixels.clone();
        colours.sort_unstable();
        colours.dedup();
        assert!(colours.len() > 200, "{} colours", colours.len());
        // The histogram's and the skills bars' blue, and the goals bars' orange.
        assert!(self.pixels_near([0x3e, 0x6f, 0xb0]) > 2000, "no blue bars");
        assert!(self.pixels_near([0xe0, 0x7b, 0x39]) > 100, "no orange bars");
    }

    /// The text of the element with `id` (its first text up to the next tag).
    fn text_of(&self, id: &str) -> String {
        let start = self
            .dom
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no element {id} in the DOM"));
        let open = start + self.dom[start..].find('>').unwrap() + 1;
        let end = open + self.dom[open..].find('<').unwrap();
        self.dom[open..end].to_owned()
    }

    /// Checks the DOM holds only the report's own elements, no script and
    /// no event handler, whatever the participants wrote.
    fn assert_only_report_elements(&self) {
        let tags = tags(&self.dom);
        assert!(tags.len() > 50, "{} tags", tags.len());
        for tag in &tags {
            let name = tag
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap()
                .to_ascii_lowercase();
            assert!(
                ELEMENTS.contains(&name.as_str()),
                "element <{name}> in the DOM: <{tag}>"
            );
            for attribute in attributes(tag) {
                assert!(
                    !attribute.to_ascii_lowercase().starts_with("on"),
                    "event handler {attribute} in <{tag}>"
                );
            }
        }
    }
}

/// The tags of serialised HTML (what is between `<` and `>`, quotes
/// respected), without comments and the doctype.
fn tags(html: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut current: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in html.chars() {
        match (&mut current, quote) {
            (None, _) if c == '<' => current = Some(String::new()),
            (None, _) => {}
            (Some(tag), Some(q)) => {
                tag.push(c);
                if c == q {
                    quote = None;
                }
            }
            (Some(tag), None) if c == '>' => {
                if !tag.starts_with('!') {
                    tags.push(std::mem::take(tag));
                }
                current = None;
            }
            (Some(tag), None) => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                tag.push(c);
            }
        }
    }
    tags
}

/// The attribute names of a tag.
fn attributes(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = tag.split_once(char::is_whitespace).map_or("", |(_, r)| r);
    while let Some(start) = rest.find(|c: char| !c.is_whitespace() && c != '/') {
        rest = &rest[start..];
        let end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        names.push(rest[..end].to_owned());
        rest = &rest[end..];
        if let Some(value) = rest.strip_prefix('=') {
            // Skip the value, quoted or not.
            let value = value.trim_start();
            rest = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].find(q).map_or("", |i| &value[i + 2..]),
                _ => value.find(char::is_whitespace).map_or("", |i| &value[i..]),
            };
        }
    }
    names
}

/// The mean topic coverage of the pairs, from the cohort file itself
/// (specification, quality metrics: Σ s[t]·[e[t] > c[t]] / Σ s[t]).
fn expected_coverage(file: &Value, matching: &Matching) -> f64 {
    let person = |id: &str| {
        file["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap()
            .clone()
    };
    let answer = |p: &Value, field: &str, topic: &str| p[field][topic].as_u64().unwrap_or(0);
    let shares: Vec<f64> = matching
        .pairs()
        .iter()
        .map(|pair| {
            let (mentor, mentee) = (person(pair.mentor()), person(pair.mentee()));
            let (mut covered, mut sought) = (0, 0);
            for (topic, priority) in mentee["seeks"].as_object().unwrap() {
                let priority = priority.as_u64().unwrap();
                sought += priority;
                if answer(&mentor, "offers", topic) > answer(&mentee, "level", topic) {
                    covered += priority;
                }
            }
            covered as f64 / sought as f64
        })
        .collect();
    shares.iter().sum::<f64>() / shares.len() as f64
}

/// Checks the summary cards against the matching and the cohort file.
fn assert_summary(rendered: &Rendered, file: &Value, cohort: &Cohort, matching: &Matching) {
    let mentees = cohort.mentees().len();
    let pairs = matching.pairs().len();
    let share = matching.matched() as f64 / mentees as f64;
    assert_eq!(
        rendered.text_of("matched-share"),
        format!("{:.0}%", share * 100.0)
    );
    assert_eq!(
        rendered.text_of("mean-score"),
        format!("{:.3}", matching.total_score() / pairs as f64)
    );
    assert_eq!(
        rendered.text_of("min-score"),
        format!("{:.3}", matching.min_score().unwrap())
    );
    assert_eq!(
        rendered.text_of("topic-coverage"),
        format!("{:.0}%", expected_coverage(file, matching) * 100.0)
    );
    assert!(
        rendered
            .dom
            .contains(&format!("{} of {mentees} mentees", matching.matched()))
    );
}

#[test]
fn the_pilot_report_renders_in_a_browser() {
    let file = support::pilot_value();
    let cohort = support::pilot();
    let matching = cohort.matcher().solve().unwrap();
    let Some(rendered) = render("pilot", &html_report(&cohort, &matching)) else {
        return;
    };
    rendered.assert_drawn();
    rendered.assert_only_report_elements();
    assert_summary(&rendered, &file, &cohort, &matching);
    // Known answer of the bundled pilot (see the README): all six matched.
    assert_eq!(rendered.text_of("matched-share"), "100%");
    assert_eq!(rendered.dom.matches("<tr class=\"pair\"").count(), 6);
    for pair in matching.pairs() {
        let row = format!(
            "<tr class=\"pair\" data-mentee=\"{}\" data-mentor=\"{}\">",
            pair.mentee(),
            pair.mentor()
        );
        assert!(rendered.dom.contains(&row), "{row}");
        assert!(rendered.dom.contains(&format!("{:.3}", pair.score())));
    }
    // The histogram: one bar per non-empty band, the counts adding up to
    // the pairs; and five component bars per pair.
    let counts: usize = rendered
        .dom
        .match_indices("<rect class=\"bin\" data-count=\"")
        .map(|(at, found)| {
            let rest = &rendered.dom[at + found.len()..];
            rest[..rest.find('"').unwrap()].parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(counts, 6);
    assert_eq!(rendered.dom.matches("<svg").count(), 1 + 6);
    assert_eq!(
        rendered.dom.matches("<g class=\"component\"").count(),
        6 * 5
    );
    // Topic labels, not ids.
    assert!(rendered.dom.contains(">Service design<"));
    assert!(rendered.dom.contains("Every mentee has a mentor."));
}

/// A cohort whose every free-text field tries to become markup.
fn hostile_file() -> Value {
    let script = "<script>alert(1)</script>";
    json!({
        "name": "Round <b>one</b> & \"two\" </title><script>alert('t')</script>",
        "questionnaire": {
            "topics": [
                {"id": "rust", "label": "Rust <img src=x onerror=alert(1)>"},
                {"id": "sql", "label": "SQL & \"databases\""}
            ],
            "goals": [{"id": "career", "label": "Career"}],
            "slots": [{"id": "mon", "label": "Monday", "day": 0, "start": 9, "end": 17}]
        },
        "participants": [
            {"id": script, "name": script, "role": "mentor",
             "offers": {"rust": 5, "sql": 3}, "goals": {"career": 4}, "slots": ["mon"]},
            {"id": "tom&jerry", "name": "Tom & Jerry", "role": "mentor",
             "offers": {"sql": 5}, "languages": ["en"], "slots": ["mon"]},
            {"id": "quote\"d", "name": "Zoë \"Z\" O'Neil", "role": "mentee",
             "seeks": {"rust": 4, "sql": 2}, "level": {"rust": 1}, "goals": {"career": 5},
             "slots": ["mon"], "prefers": [script]},
            {"id": "x\" onmouseover=\"alert(1)", "name": "<style>body{display:none}</style>",
             "role": "mentee", "seeks": {"sql": 3}, "slots": ["mon"]},
            {"id": "<!-- c -->", "name": "Lone <i>mentee</i>", "role": "mentee",
             "seeks": {"sql": 5}, "languages": ["fr"], "slots": ["mon"], "avoids": [script]}
        ]
    })
}

#[test]
fn hostile_names_show_as_text_in_a_browser() {
    let file = hostile_file();
    let cohort = Cohort::from_value(&file).unwrap();
    let matching = cohort.matcher().solve().unwrap();
    assert_eq!(matching.pairs().len(), 2);
    assert_eq!(matching.unmatched().len(), 1);
    let html = html_report(&cohort, &matching);
    // Escaped in the source: no tag of the participants' own.
    for raw in [
        "<script",
        "<img",
        "<b>one",
        "<i>",
        "<!--",
        "<style>body",
        "</title><script",
    ] {
        assert!(!html.contains(raw), "{raw} unescaped in the page");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let Some(rendered) = render("hostile", &html) else {
        return;
    };
    rendered.assert_drawn();
    rendered.assert_only_report_elements();
    assert_summary(&rendered, &file, &cohort, &matching);
    let dom = &rendered.dom;
    // The names are there as text, as written.
    for text in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "Tom &amp; Jerry",
        "Zoë \"Z\" O'Neil",
        "&lt;style&gt;body{display:none}&lt;/style&gt;",
        "Lone &lt;i&gt;mentee&lt;/i&gt;",
        "Rust &lt;img src=x onerror=alert(1)&gt;",
        "SQL &amp; \"databases\"",
        "Round &lt;b&gt;one&lt;/b&gt; &amp; \"two\" &lt;/title&gt;&lt;script&gt;alert('t')&lt;/script&gt;",
    ] {
        assert!(dom.contains(text), "{text} missing from the DOM");
    }
    assert_eq!(dom.matches("<tr class=\"pair\"").count(), 2);
    assert_eq!(dom.matches("<tr class=\"unmatched\"").count(), 1);
    // The unmatched mentee avoids one mentor and shares no language with
    // the other: both counts show.
    assert!(dom.contains("data-rule=\"avoids\" data-count=\"1\""));
    assert!(dom.contains("data-rule=\"require_shared_language\" data-count=\"1\""));
    // The page kept its own title, style and layout.
    assert!(dom.contains("<h1 id=\"title\">Round &lt;b&gt;one"));
}

/// A matching where one mentee has two mentors, read from a result file
/// (the matcher places one mentor per mentee for now).
#[test]
fn a_mentee_with_two_mentors_is_one_group() {
    let cohort = support::pilot();
    let solved = cohort.matcher().solve().unwrap();
    let mut result = serde_json::to_value(&solved).unwrap();
    let pairs = result["pairs"].as_array_mut().unwrap();
    let mut second = pairs[0].clone();
    let other = solved
        .pairs()
        .iter()
        .map(mentor_match::Pair::mentor)
        .find(|&m| m != pairs[0]["mentor"])
        .unwrap();
    second["mentor"] = json!(other);
    pairs.insert(1, second);
    let matching: Matching = serde_json::from_value(result).unwrap();
    let html = html_report(&cohort, &matching);
    assert_eq!(html.matches("<tr class=\"pair\"").count(), 7);
    assert_eq!(html.matches("rowspan=\"2\"").count(), 1);
    assert_eq!(html.matches("rowspan=\"1\"").count(), 5);
    assert!(html.contains("2 mentors of 1 wanted"));
    assert!(html.contains("<td class=\"mentee\""));
}

#[test]
fn an_empty_matching_has_a_page_too() {
    let file = json!({
        "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}]},
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"rust": 5}, "languages": ["fi"]},
            {"id": "ben", "role": "mentee", "seeks": {"rust": 3}, "languages": ["en"]}
        ]
    });
    let cohort = Cohort::from_value(&file).unwrap();
    let matching = cohort.matcher().solve().unwrap();
    let html = html_report(&cohort, &matching);
    assert!(html.contains("<dd id=\"matched-share\">0%"));
    assert!(html.contains("<dd id=\"mean-score\">–"));
    assert!(html.contains("<dd id=\"topic-coverage\">–"));
    assert!(html.contains("No pairs."));
    assert!(html.contains("data-rule=\"require_shared_language\" data-count=\"1\""));
    assert!(!html.contains("class=\"bin\""));
}
