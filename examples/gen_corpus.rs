//! Writes a deterministic corpus of SYNTHETIC article files for benchmarks and load tests.
//!
//! ```text
//! CARGO_TARGET_DIR=/var/tmp/brikg-target cargo run --release --example gen_corpus -- \
//!     --articles 1000 --seed 7 --out /tmp/corpus
//! brikg build --data /tmp/corpus --store /tmp/corpus-store -q
//! ```
//!
//! It writes `OUT/articles/synthetic-{i:06}.toml` for `i` in `0..N`, in the format of
//! `data/articles/*.toml` (see README, "Data files"). Every name, author and figure is invented
//! and marked as such ("SYNTHETIC test article", "Synthetic Author 12", "Synthetic Corridor
//! 123-4"); only the country codes are real, read from `data/reference/countries.toml`.
//!
//! Properties the benchmarks rely on:
//! - Deterministic: the same seed gives byte-identical files. Article `i` depends only on the
//!   seed and `i`, so a corpus of 200 articles is a prefix of one of 1,000 with the same seed.
//! - Valid: every id, reference, date and figure passes `brikg build`.
//! - Shaped like real data: entities, authors, organisations, measures and fields recur across
//!   articles under the same id with the same attributes (an entity's name, countries and
//!   standards are a function of its id), as a real corpus keeps mentioning the CR Express: a
//!   few things (numbers 1 to 3 of each kind) come back in about one article in five, most
//!   are rare; agreement sets too (a set's kind and signatory are part of its id);
//!   sections, observations and events belong to one article.
//!
//! No dependency beyond the crate's own: TOML is written by hand and the random numbers come
//! from SplitMix64.

use anyhow::{bail, Context, Result};
use brikg::model::CountriesFile;
use clap::Parser;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Writes a deterministic corpus of synthetic article files.
#[derive(Parser, Debug)]
struct Args {
    /// How many articles to write.
    #[arg(long)]
    articles: usize,
    /// Seed of the generator: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Data directory to write; the files go to OUT/articles/.
    #[arg(long)]
    out: PathBuf,
    /// Write even if OUT/articles/ already holds files (earlier synthetic-*.toml are removed).
    #[arg(long)]
    force: bool,
    /// The ISO 3166-1 reference file to take country codes from.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/data/reference/countries.toml"))]
    countries: PathBuf,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<()> {
    let text = fs::read_to_string(&args.countries)
        .with_context(|| format!("reading {}", args.countries.display()))?;
    let parsed: CountriesFile =
        toml::from_str(&text).with_context(|| format!("parsing {}", args.countries.display()))?;
    let countries = Countries::new(parsed.country.into_iter().map(|c| c.alpha2).collect())?;

    let dir = args.out.join("articles");
    prepare(&dir, args.force)?;

    let started = Instant::now();
    let mut bytes = 0u64;
    let gen = Generator {
        seed: args.seed,
        countries: &countries,
    };
    for i in 0..args.articles {
        let text = gen.article(i);
        bytes += text.len() as u64;
        let path = dir.join(format!("synthetic-{i:06}.toml"));
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!(
        "wrote {} synthetic articles ({:.1} MB) to {} in {:.2?}",
        args.articles,
        bytes as f64 / 1e6,
        dir.display(),
        started.elapsed()
    );
    Ok(())
}

/// Creates `dir`, refusing to mix a new corpus into files already there unless `force`.
fn prepare(dir: &std::path::Path, force: bool) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut ours = Vec::new();
    let mut others = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if is_generated_name(&name) {
            ours.push(path);
        } else {
            others.push(path);
        }
    }
    if ours.is_empty() && others.is_empty() {
        return Ok(());
    }
    if !force {
        bail!(
            "{} already holds {} file(s); choose an empty directory or pass --force",
            dir.display(),
            ours.len() + others.len()
        );
    }
    for path in &ours {
        fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
    }
    if !others.is_empty() {
        eprintln!(
            "warning: {} holds {} file(s) this generator did not write; they stay and will be part of the corpus",
            dir.display(),
            others.len()
        );
    }
    Ok(())
}

/// `synthetic-NNNNNN.toml`: the only files `--force` removes.
fn is_generated_name(name: &str) -> bool {
    name.strip_prefix("synthetic-")
        .and_then(|rest| rest.strip_suffix(".toml"))
        .is_some_and(|n| n.len() == 6 && n.bytes().all(|b| b.is_ascii_digit()))
}

// ------------------------------------------------------------------------------------------
// Randomness

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), by Lemire's multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// In `lo..=hi`, small values more likely: the smaller of two uniform draws.
    fn low(&mut self, lo: usize, hi: usize) -> usize {
        self.range(lo, hi).min(self.range(lo, hi))
    }

    /// In `lo..=hi`, small values much more likely: the smallest of three uniform draws.
    fn lower(&mut self, lo: usize, hi: usize) -> usize {
        self.low(lo, hi).min(self.range(lo, hi))
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct indices of `0..n`, in random order (partial Fisher-Yates).
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for j in 0..k {
            let r = j + self.below(n - j);
            all.swap(j, r);
        }
        all.truncate(k);
        all
    }
}

/// A seed derived from several numbers, so unrelated streams do not overlap.
fn seed_of(parts: &[u64]) -> u64 {
    let mut h = 0x6272_696B_6721_u64; // "brikg!"
    for &p in parts {
        h = Rng::new(h ^ p).next_u64();
    }
    h
}

// ------------------------------------------------------------------------------------------
// Vocabulary shared by the whole corpus

/// What kind of thing a measure can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Transport services, trade corridors and railways.
    Transport,
    /// Cooperation zones and platforms.
    Zone,
    Initiative,
    /// Standard systems and standardization bodies.
    Standards,
    Agreement,
    Country,
}

/// A measure of the shared vocabulary.
struct Measure {
    id: &'static str,
    label: &'static str,
    target: Target,
    money: bool,
    /// Range of the number of integer digits of the value in base units.
    digits: (u32, u32),
}

const fn m(
    id: &'static str,
    label: &'static str,
    target: Target,
    money: bool,
    digits: (u32, u32),
) -> Measure {
    Measure {
        id,
        label,
        target,
        money,
        digits,
    }
}

use Target::*;

/// Forty measures, reused across the corpus as real articles reuse them.
#[rustfmt::skip]
const MEASURES: &[Measure] = &[
    m("cities-served", "cities served", Transport, false, (2, 3)),
    m("european-countries-served", "European countries served", Transport, false, (1, 2)),
    m("trips-completed", "trips completed", Transport, false, (3, 6)),
    m("types-of-goods-transported", "types of goods transported", Transport, false, (2, 5)),
    m("value-of-goods-transported", "total value of goods transported", Transport, true, (8, 12)),
    m("ports-connected", "ports connected", Transport, false, (2, 3)),
    m("countries-and-regions-connected", "countries and regions connected", Transport, false, (2, 3)),
    m("containers-handled", "containers handled", Transport, false, (4, 7)),
    m("freight-tonnes-carried", "freight carried", Transport, false, (5, 9)),
    m("passengers-carried", "passengers carried", Transport, false, (4, 8)),
    m("route-length-km", "route length", Transport, false, (2, 5)),
    m("stations-served", "stations served", Transport, false, (1, 3)),
    m("construction-cost", "construction cost", Transport, true, (8, 11)),
    m("cumulative-investment", "cumulative investment", Zone, true, (8, 12)),
    m("enterprises-hosted", "enterprises hosted", Zone, false, (2, 5)),
    m("jobs-created", "local jobs created", Zone, false, (3, 6)),
    m("tax-revenue", "tax revenue paid to host countries", Zone, true, (7, 10)),
    m("output-value", "total output value", Zone, true, (8, 12)),
    m("participating-countries", "participating countries", Zone, false, (1, 3)),
    m("partner-countries", "partner countries", Initiative, false, (2, 3)),
    m("cooperation-documents-signed", "cooperation documents signed", Initiative, false, (2, 3)),
    m("projects-launched", "projects launched", Initiative, false, (2, 4)),
    m("trade-volume", "trade volume", Initiative, true, (10, 13)),
    m("international-organizations-participating", "international organizations participating", Initiative, false, (1, 2)),
    m("standards-published", "standards published", Standards, false, (2, 5)),
    m("standards-translated", "standards translated into foreign languages", Standards, false, (2, 4)),
    m("mutual-recognition-arrangements", "mutual recognition arrangements", Standards, false, (1, 3)),
    m("documents-signed", "documents signed", Agreement, false, (1, 3)),
    m("countries-of-counterparties", "countries of counterparties", Agreement, false, (1, 3)),
    m("projects-covered", "projects covered", Agreement, false, (1, 3)),
    m("agreed-financing", "financing agreed", Agreement, true, (8, 11)),
    m("investment-by-participating-countries", "investment by participating countries", Country, true, (9, 12)),
    m("new-enterprises-established", "new enterprises established", Country, false, (3, 5)),
    m("bilateral-trade", "bilateral trade with China", Country, true, (9, 12)),
    m("outbound-direct-investment", "outbound direct investment", Country, true, (8, 11)),
    m("contracted-projects-value", "value of newly contracted projects", Country, true, (8, 11)),
    m("students-exchanged", "students exchanged", Country, false, (3, 5)),
    m("tourist-visits", "tourist visits", Country, false, (5, 8)),
    m("loans-extended", "loans extended", Country, true, (8, 11)),
    m("power-capacity-installed-mw", "power capacity installed, in megawatts", Country, false, (2, 5)),
];

/// Fields of cooperation, reused across the corpus.
const FIELDS: &[(&str, &str)] = &[
    ("civil-aviation", "civil aviation"),
    ("climate-change", "climate change"),
    ("electric-vehicles", "electric vehicles"),
    ("green-development", "green development"),
    ("digital-development", "digital development"),
    ("blue-development", "blue development"),
    ("agriculture", "agriculture"),
    ("public-health", "public health"),
    ("e-commerce", "e-commerce"),
    ("renewable-energy", "renewable energy"),
    ("railway-engineering", "railway engineering"),
    ("port-logistics", "port logistics"),
    ("telecommunications", "telecommunications"),
    ("smart-cities", "smart cities"),
    ("water-resources", "water resources"),
    ("customs-procedures", "customs procedures"),
    ("finance", "finance"),
    ("vocational-education", "vocational education"),
    ("tourism", "tourism"),
    ("space-information", "space information"),
];

const THEMES: &[&str] = &[
    "market connectivity",
    "industrial integration",
    "innovation",
    "rules-based connectivity",
    "green development",
    "digital economy",
    "people-to-people exchanges",
    "financial cooperation",
    "infrastructure",
    "trade facilitation",
    "policy coordination",
    "health cooperation",
    "energy cooperation",
    "logistics",
    "standards alignment",
    "poverty reduction",
];

/// Entity kinds: (kind in the data files, noun in names, size of the numbered pool, what
/// measures about it are about).
const KINDS: &[(&str, &str, usize, Target)] = &[
    ("initiative", "Initiative", 60, Initiative),
    ("transport-service", "Express", 999, Transport),
    ("trade-corridor", "Corridor", 999, Transport),
    ("railway", "Railway", 999, Transport),
    ("cooperation-zones", "Cooperation Zones", 999, Zone),
    ("cooperation-platform", "Platform", 999, Zone),
    ("standard-system", "Standards", 99, Standards),
];
const INITIATIVE: usize = 0;
const STANDARD_SYSTEM: usize = 6;
/// Relative weights of the kinds when an article picks an entity.
const KIND_WEIGHTS: &[usize] = &[8, 16, 16, 26, 14, 12, 8];
/// Variants per number: "Synthetic Corridor 123-1" to "Synthetic Corridor 123-4".
const VARIANTS: usize = 4;

/// Countries the articles mention most, as real Belt and Road reporting does; codes absent from
/// the reference file are skipped.
const FREQUENT: &[&str] = &[
    "CN", "PK", "ID", "KZ", "RU", "IT", "ET", "KE", "LA", "TH", "MY", "VN", "EG", "SA", "AE", "TR",
    "GR", "RS", "HU", "PL", "DE", "BY", "UZ", "MN", "IR", "BD", "LK", "NG", "DJ", "BR",
];
/// Countries whose standards systems appear beside China's.
const STANDARD_COUNTRIES: &[&str] = &["CN", "CN", "CN", "DE", "FR", "GB", "RU", "JP", "US", "IN"];

struct Countries {
    all: Vec<String>,
    frequent: Vec<String>,
    standards: Vec<String>,
}

impl Countries {
    fn new(all: Vec<String>) -> Result<Self> {
        let known = |list: &[&str]| -> Vec<String> {
            list.iter()
                .filter(|c| all.iter().any(|a| a == *c))
                .map(|c| (*c).to_owned())
                .collect()
        };
        let frequent = known(FREQUENT);
        let standards = known(STANDARD_COUNTRIES);
        if all.is_empty()
            || frequent.is_empty()
            || standards.is_empty()
            || !all.contains(&"CN".into())
        {
            bail!("the countries file lacks the codes the generator needs (such as CN)");
        }
        Ok(Countries {
            all,
            frequent,
            standards,
        })
    }

    /// A country code: mostly one of the frequent ones, sometimes any.
    fn pick(&self, rng: &mut Rng) -> String {
        if rng.chance(90) {
            rng.pick(&self.frequent).clone()
        } else {
            rng.pick(&self.all).clone()
        }
    }

    /// `k` distinct country codes.
    fn several(&self, rng: &mut Rng, k: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        while out.len() < k {
            let c = self.pick(rng);
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }
}

// ------------------------------------------------------------------------------------------
// One article

struct Generator<'a> {
    seed: u64,
    countries: &'a Countries,
}

/// An entity, whose attributes depend only on the seed and its id.
struct Entity {
    kind: usize,
    id: String,
    name: String,
    alt_names: Vec<String>,
    located_in: Vec<String>,
    established_by: Vec<String>,
    country: Option<String>,
    /// (number, variant) of the standard system a railway is built to.
    standard: Option<(usize, usize)>,
}

struct Section {
    id: String,
    theme: Option<&'static str>,
    paragraphs: usize,
}

struct AgreementSet {
    id: String,
    standards: bool,
    /// Its signing country: part of what the id names, so every article that counts the set
    /// agrees on it.
    signatory: String,
}

/// Where a fact stands: (section index, paragraph number).
type Source = (usize, usize);

/// A date no later than `limit` (year, month, day), as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn date_before(rng: &mut Rng, limit: (usize, usize, usize), earliest: usize) -> String {
    let (ly, lm, ld) = limit;
    let year = rng.range(earliest.min(ly), ly);
    let month = if year == ly {
        rng.range(1, lm)
    } else {
        rng.range(1, 12)
    };
    match rng.below(100) {
        0..=34 if year < ly => format!("{year:04}"),
        0..=69 if year < ly || month < lm => format!("{year:04}-{month:02}"),
        _ => {
            let last = days_in_month(year, month);
            let day = if year == ly && month == lm {
                rng.range(1, ld)
            } else {
                rng.range(1, last)
            };
            format!("{year:04}-{month:02}-{day:02}")
        }
    }
}

fn days_in_month(year: usize, month: usize) -> usize {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// The unit of a measure's figures, for the measures that have one (the others are counts or
/// money): what `[measures]` writes as the measure's `unit`.
fn unit_of(measure: &Measure) -> Option<&'static str> {
    match measure.id {
        "containers-handled" => Some("TEU"),
        "freight-tonnes-carried" => Some("t"),
        "route-length-km" => Some("km"),
        _ => None,
    }
}

/// A figure as reported: the number's text, its scale and, for money, its currency.
struct Figure {
    text: String,
    scale: Option<&'static str>,
    currency: Option<&'static str>,
}

/// Invents a figure for `measure`; `rough` figures (reported with "more than", "about", ...)
/// get fewer significant digits, as articles round them.
fn figure(rng: &mut Rng, measure: &Measure, rough: bool) -> Figure {
    let digits = rng.range(measure.digits.0 as usize, measure.digits.1 as usize);
    let significant = if rough {
        rng.range(1, 2)
    } else {
        rng.range(1, 4)
    }
    .min(digits);
    let lo = 10usize.pow(significant as u32 - 1);
    let mut mantissa = rng.range(lo, lo * 10 - 1);
    if significant > 1 && mantissa.is_multiple_of(10) {
        mantissa += 1;
    }
    // The value in base units is mantissa * 10^(digits - significant): always whole.
    let (scale, exponent) = {
        let largest = match digits - 1 {
            0..=2 => None,
            3..=5 => Some(("thousand", 3)),
            6..=8 => Some(("million", 6)),
            9..=11 => Some(("billion", 9)),
            _ => Some(("trillion", 12)),
        };
        let scaled = if measure.money {
            rng.chance(85)
        } else {
            rng.chance(30)
        };
        match largest {
            Some(s) if scaled => (Some(s.0), s.1),
            _ => (None, 0),
        }
    };
    // The reported number is mantissa * 10^(digits - significant - exponent).
    let shift = digits as i64 - significant as i64 - exponent as i64;
    let mut text = mantissa.to_string();
    if shift >= 0 {
        text.push_str(&"0".repeat(shift as usize));
    } else {
        let point = text.len() - (-shift) as usize;
        text.insert(point, '.');
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            text.pop();
        }
    }
    let currency = measure
        .money
        .then(|| *rng.pick(&["USD", "USD", "USD", "CNY", "CNY", "EUR"]));
    Figure {
        text,
        scale,
        currency,
    }
}

impl Generator<'_> {
    /// The entity `(kind, number, variant)`, the same in every article that mentions it.
    fn entity(&self, kind: usize, number: usize, variant: usize) -> Entity {
        let mut rng = Rng::new(seed_of(&[
            self.seed,
            1,
            kind as u64,
            number as u64,
            variant as u64,
        ]));
        let (kind_name, noun, _, _) = KINDS[kind];
        let name = format!("Synthetic {noun} {number}-{variant}");
        let id = format!(
            "synthetic-{}-{number}-{variant}",
            noun.to_ascii_lowercase().replace(' ', "-")
        );
        let acronym: String = std::iter::once('S')
            .chain(noun.split(' ').filter_map(|w| w.chars().next()))
            .collect();
        let c = self.countries;
        let mut e = Entity {
            kind,
            id,
            name,
            alt_names: Vec::new(),
            located_in: Vec::new(),
            established_by: Vec::new(),
            country: None,
            standard: None,
        };
        let alt = |rng: &mut Rng, percent| {
            if rng.chance(percent) {
                vec![format!("{acronym} {number}-{variant}")]
            } else {
                Vec::new()
            }
        };
        match kind_name {
            "initiative" => {
                e.alt_names = alt(&mut rng, 60);
                if rng.chance(50) {
                    e.established_by = vec!["CN".into()];
                }
            }
            "transport-service" => {
                e.alt_names = alt(&mut rng, 40);
                if rng.chance(50) {
                    let k = rng.range(1, 2);
                    e.located_in = c.several(&mut rng, k);
                }
            }
            "trade-corridor" => {
                e.alt_names = alt(&mut rng, 20);
                if rng.chance(60) {
                    let k = rng.range(2, 4);
                    e.located_in = c.several(&mut rng, k);
                }
                if rng.chance(30) {
                    e.established_by = vec!["CN".into()];
                }
            }
            "railway" => {
                e.alt_names = alt(&mut rng, 25);
                let k = if rng.chance(80) { 1 } else { 2 };
                e.located_in = c.several(&mut rng, k);
                if rng.chance(70) {
                    let pool = KINDS[STANDARD_SYSTEM].2;
                    e.standard = Some((rng.range(1, pool), rng.range(1, VARIANTS)));
                }
            }
            "cooperation-zones" => {
                if rng.chance(70) {
                    e.established_by = vec!["CN".into()];
                } else {
                    e.established_by = c.several(&mut rng, 1);
                }
                if rng.chance(50) {
                    let k = rng.range(1, 3);
                    e.located_in = c.several(&mut rng, k);
                }
            }
            "cooperation-platform" => {
                if rng.chance(30) {
                    let k = rng.range(1, 2);
                    e.established_by = c.several(&mut rng, k);
                }
            }
            _ => {
                e.country = Some(rng.pick(&c.standards).clone());
            }
        }
        e
    }

    /// The text of article `i`.
    fn article(&self, i: usize) -> String {
        let rng = &mut Rng::new(seed_of(&[self.seed, 0, i as u64]));
        let c = self.countries;

        // Dates: the article's, and nothing it reports is later.
        let year = rng.range(2015, 2025);
        let month = rng.range(1, 12);
        let day = rng.range(1, days_in_month(year, month));
        let modified = (year, month, day);

        // Sections.
        let themes = rng.distinct(THEMES.len(), 6);
        let untitled_lead = rng.chance(30);
        let sections: Vec<Section> = (0..rng.low(2, 6))
            .map(|k| Section {
                id: format!("section-{}", k + 1),
                theme: (k > 0 || !untitled_lead).then(|| THEMES[themes[k]]),
                paragraphs: rng.low(1, 4),
            })
            .collect();
        let source = |rng: &mut Rng| -> Source {
            let s = rng.below(sections.len());
            (s, rng.range(1, sections[s].paragraphs))
        };

        // Entities: the first is what the article is about.
        let wanted = rng.low(3, 8);
        let mut entities: Vec<Entity> = Vec::new();
        let mut ids = BTreeSet::new();
        while entities.len() < wanted {
            let kind = weighted(rng, KIND_WEIGHTS);
            let kind = if entities.is_empty() && kind == STANDARD_SYSTEM {
                INITIATIVE
            } else {
                kind
            };
            // A few things most articles come back to (the CR Express of this corpus), many
            // that few articles mention.
            let number = if rng.chance(20) {
                rng.range(1, 3)
            } else {
                rng.range(4, KINDS[kind].2)
            };
            let e = self.entity(kind, number, rng.range(1, VARIANTS));
            if ids.contains(&e.id) {
                continue;
            }
            let standard = e
                .standard
                .map(|(n, v)| self.entity(STANDARD_SYSTEM, n, v))
                .filter(|s| !ids.contains(&s.id));
            if standard.is_some() && entities.len() + 2 > wanted {
                continue;
            }
            ids.insert(e.id.clone());
            entities.push(e);
            if let Some(s) = standard {
                ids.insert(s.id.clone());
                entities.push(s);
            }
        }
        let entity_sources: Vec<Option<Source>> = entities
            .iter()
            .map(|_| rng.chance(90).then(|| source(rng)))
            .collect();

        // Organisations: national standardization bodies.
        let org_countries = {
            let k = rng.low(0, 4);
            let mut all = c.several(rng, k + 1);
            all.retain(|cc| cc != "CN");
            all.truncate(k);
            all
        };
        let orgs: Vec<(String, String)> = org_countries
            .iter()
            .map(|cc| {
                (
                    format!("national-standardization-body-{}", cc.to_ascii_lowercase()),
                    cc.clone(),
                )
            })
            .collect();

        // Agreements.
        let agreements: Vec<AgreementSet> = {
            let k = match rng.below(100) {
                0..=39 => 0,
                40..=79 => 1,
                _ => 2,
            };
            let mut out: Vec<AgreementSet> = Vec::new();
            for _ in 0..k {
                // A set is one across articles (ids are global): a few sets that many articles
                // count (China's standards documents), and many that few do.
                let standards = rng.chance(50);
                let signatory = if rng.chance(85) {
                    "CN".to_owned()
                } else {
                    c.pick(rng)
                };
                let number = if rng.chance(60) {
                    rng.range(1, 5)
                } else {
                    rng.range(6, 400)
                };
                let id = format!(
                    "synthetic-{}-{}-{number}",
                    if standards {
                        "standards-documents"
                    } else {
                        "mous"
                    },
                    signatory.to_ascii_lowercase()
                );
                if !out.iter().any(|a| a.id == id) {
                    out.push(AgreementSet {
                        id,
                        standards,
                        signatory,
                    });
                }
            }
            out
        };

        // Concepts. Measures suit what the article has facts about.
        let has = |t: Target| match t {
            Agreement => !agreements.is_empty(),
            Country => true,
            _ => {
                entities.iter().any(|e| KINDS[e.kind].3 == t)
                    || (t == Standards && !orgs.is_empty())
            }
        };
        let candidates: Vec<usize> = (0..MEASURES.len())
            .filter(|&m| has(MEASURES[m].target))
            .collect();
        let measures: Vec<usize> = {
            let k = rng.low(5, 12);
            let mut picked: Vec<usize> = rng
                .distinct(candidates.len(), k)
                .into_iter()
                .map(|j| candidates[j])
                .collect();
            // Articles that report agreements say how many were signed.
            let signed = MEASURES.iter().position(|m| m.id == "documents-signed");
            if let Some(signed) = signed.filter(|s| !agreements.is_empty() && !picked.contains(s)) {
                picked[0] = signed;
            }
            picked
        };
        let k = rng.low(2, 6);
        let fields = rng.distinct(FIELDS.len(), k);

        // Countries the article mentions, for observations about a country.
        let mut article_countries: Vec<String> = vec!["CN".into()];
        for e in &entities {
            for cc in e.located_in.iter().chain(&e.established_by) {
                if !article_countries.contains(cc) {
                    article_countries.push(cc.clone());
                }
            }
        }
        for cc in c.several(rng, 2) {
            if !article_countries.contains(&cc) {
                article_countries.push(cc);
            }
        }

        let mut out = String::with_capacity(8192);
        let w = &mut out;
        let _ = writeln!(
            w,
            "# SYNTHETIC test data written by examples/gen_corpus.rs (seed {}, article {i}).\n\
             # Every name and figure is invented; nothing here is a fact about the world.\n",
            self.seed
        );

        // [article]
        let primary = &entities[0];
        let title = match rng.below(6) {
            0 => format!("\"{}\" at a glance", primary.name),
            1 => format!(
                "{} and the next decade of {}",
                primary.name,
                theme_or(&sections)
            ),
            2 => format!("What {} means for {}", primary.name, theme_or(&sections)),
            3 => format!(
                "{} \u{2014} {} in numbers",
                primary.name,
                theme_or(&sections)
            ),
            4 => format!("A closer look at {}", primary.name),
            _ => format!("{}: progress report", primary.name),
        };
        let authors: Vec<String> = {
            let k = rng.low(1, 3);
            rng.distinct(500, k)
                .into_iter()
                .map(|a| format!("Synthetic Author {}", a + 1))
                .collect()
        };
        let _ = writeln!(w, "[article]");
        let _ = writeln!(w, "id = \"synthetic-{i:06}\"");
        let _ = writeln!(
            w,
            "title = {}",
            quote(&format!("SYNTHETIC test article {i}: {title}"))
        );
        let _ = writeln!(w, "authors = {}", list(&authors));
        let _ = writeln!(w, "modified = \"{year:04}-{month:02}-{day:02}\"");
        let _ = writeln!(w, "language = \"en\"");
        let _ = writeln!(w, "about = [{}]", quote(&primary.id));

        for s in &sections {
            let _ = writeln!(w, "\n[[sections]]\nid = {}", quote(&s.id));
            if let Some(theme) = s.theme {
                let _ = writeln!(w, "theme = {}", quote(theme));
            }
            let _ = writeln!(w, "paragraphs = {}", s.paragraphs);
        }

        let src = |(s, p): Source| {
            format!(
                "source = {{ section = {}, paragraph = {p} }}",
                quote(&sections[s].id)
            )
        };
        for (e, source) in entities.iter().zip(&entity_sources) {
            let _ = writeln!(w, "\n[[entities]]");
            let _ = writeln!(w, "id = {}", quote(&e.id));
            let _ = writeln!(w, "kind = {}", quote(KINDS[e.kind].0));
            let _ = writeln!(w, "name = {}", quote(&e.name));
            if !e.alt_names.is_empty() {
                let _ = writeln!(w, "alt_names = {}", list(&e.alt_names));
            }
            if !e.located_in.is_empty() {
                let _ = writeln!(w, "located_in = {}", list(&e.located_in));
            }
            if !e.established_by.is_empty() {
                let _ = writeln!(w, "established_by = {}", list(&e.established_by));
            }
            if let Some(cc) = &e.country {
                let _ = writeln!(w, "country = {}", quote(cc));
            }
            if let Some((n, v)) = e.standard {
                let s = self.entity(STANDARD_SYSTEM, n, v);
                let _ = writeln!(w, "standards = [{}]", quote(&s.id));
            }
            if let Some(source) = source {
                let _ = writeln!(w, "{}", src(*source));
            }
        }

        for (id, cc) in &orgs {
            let _ = writeln!(w, "\n[[organizations]]");
            let _ = writeln!(w, "id = {}", quote(id));
            let _ = writeln!(w, "kind = \"national-standardization-body\"");
            let _ = writeln!(w, "country = {}", quote(cc));
            if rng.chance(85) {
                let _ = writeln!(w, "{}", src(source(rng)));
            }
        }

        let _ = writeln!(w, "\n[measures]");
        for &m in &measures {
            let m = &MEASURES[m];
            match unit_of(m) {
                Some(unit) => {
                    let _ = writeln!(
                        w,
                        "{} = {{ label = {}, unit = {} }}",
                        m.id,
                        quote(m.label),
                        quote(unit)
                    );
                }
                None => {
                    let _ = writeln!(w, "{} = {{ label = {} }}", m.id, quote(m.label));
                }
            }
        }
        let _ = writeln!(w, "\n[fields]");
        for &f in &fields {
            let (id, label) = FIELDS[f];
            let _ = writeln!(w, "{id} = {{ label = {} }}", quote(label));
        }

        for a in &agreements {
            let _ = writeln!(w, "\n[[agreements]]");
            let _ = writeln!(w, "id = {}", quote(&a.id));
            let (kind, names): (&str, &[&str]) = if a.standards {
                (
                    "standards-cooperation-documents",
                    &[
                        "standards cooperation documents",
                        "documents on standards mutual recognition",
                        "standardization cooperation agreements",
                    ],
                )
            } else {
                (
                    "memorandums-of-understanding",
                    &[
                        "memorandums of understanding on investment and cooperation",
                        "memorandums of understanding on green development",
                        "memorandums of understanding on digital cooperation",
                    ],
                )
            };
            let _ = writeln!(w, "kind = \"{kind}\"");
            let _ = writeln!(
                w,
                "name = {}",
                // One name per set, whichever article counts it.
                quote(&format!(
                    "synthetic {}",
                    names[a.id.bytes().map(usize::from).sum::<usize>() % names.len()]
                ))
            );
            let _ = writeln!(w, "signatory = {}", quote(&a.signatory));
            let (types, named): (Vec<&str>, Vec<String>) = if a.standards {
                let mut types = vec!["national-standardization-body"];
                if rng.chance(60) {
                    types.push("international-organization");
                }
                if rng.chance(50) {
                    types.push("regional-organization");
                }
                let named = if !orgs.is_empty() && rng.chance(80) {
                    let k = rng.range(1, orgs.len());
                    let mut pick = rng.distinct(orgs.len(), k);
                    pick.sort_unstable();
                    pick.into_iter().map(|j| orgs[j].0.clone()).collect()
                } else {
                    Vec::new()
                };
                (types, named)
            } else {
                (vec!["country"], Vec::new())
            };
            let types: Vec<String> = types.into_iter().map(str::to_owned).collect();
            let _ = writeln!(w, "counterparty_types = {}", list(&types));
            if !named.is_empty() {
                let _ = writeln!(w, "counterparties = {}", list(&named));
            }
            let _ = writeln!(
                w,
                "counterparties_listed = \"{}\"",
                listed(rng, named.len())
            );
            let k = if rng.chance(85) {
                rng.range(1, fields.len().min(3))
            } else {
                0
            };
            let named_fields: Vec<String> = rng
                .distinct(fields.len(), k)
                .into_iter()
                .map(|j| FIELDS[fields[j]].0.to_owned())
                .collect();
            if !named_fields.is_empty() {
                let _ = writeln!(w, "fields = {}", list(&named_fields));
            }
            let _ = writeln!(w, "fields_listed = \"{}\"", listed(rng, named_fields.len()));
            let _ = writeln!(w, "{}", src(source(rng)));
        }

        // Observations.
        let targets = |t: Target| -> Vec<String> {
            match t {
                Agreement => agreements.iter().map(|a| a.id.clone()).collect(),
                Country => article_countries.clone(),
                _ => entities
                    .iter()
                    .filter(|e| KINDS[e.kind].3 == t)
                    .map(|e| e.id.clone())
                    .chain(orgs.iter().filter(|_| t == Standards).map(|o| o.0.clone()))
                    .collect(),
            }
        };
        let comparators = [
            "exactly",
            "greater-than",
            "at-least",
            "less-than",
            "at-most",
            "approximately",
        ];
        let mut observation_ids = BTreeSet::new();
        for k in 0..rng.lower(8, 30) {
            let m = &MEASURES[if k < measures.len() {
                measures[k]
            } else {
                *rng.pick(&measures)
            }];
            let about = rng.pick(&targets(m.target)).clone();
            let base = format!("{}-{}", about.to_ascii_lowercase(), m.id);
            let mut id = base.clone();
            let mut n = 1;
            while !observation_ids.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            let comparator = match rng.below(100) {
                0..=44 => comparators[0],
                45..=64 => comparators[1],
                65..=74 => comparators[2],
                75..=79 => comparators[3],
                80..=84 => comparators[4],
                _ => comparators[5],
            };
            let fig = figure(rng, m, comparator != "exactly");
            let _ = writeln!(w, "\n[[observations]]");
            let _ = writeln!(w, "id = {}", quote(&id));
            let _ = writeln!(w, "about = {}", quote(&about));
            let _ = writeln!(w, "measure = {}", quote(m.id));
            if fig.text.contains('.') && rng.chance(10) {
                let _ = writeln!(w, "value = {}", quote(&fig.text));
            } else {
                let _ = writeln!(w, "value = {}", fig.text);
            }
            if let Some(scale) = fig.scale {
                let _ = writeln!(w, "scale = \"{scale}\"");
            }
            if let Some(currency) = fig.currency {
                let _ = writeln!(w, "currency = \"{currency}\"");
            }
            let _ = writeln!(w, "comparator = \"{comparator}\"");
            match rng.below(100) {
                0..=59 => {
                    let _ = writeln!(w, "as_of = \"{}\"", date_before(rng, modified, 2010));
                }
                60..=79 => {
                    let period = if rng.chance(75) {
                        format!("P{}Y", rng.pick(&[1, 2, 3, 5, 5, 10, 10]))
                    } else {
                        format!("P{}M", rng.pick(&[3, 6, 6, 9, 18]))
                    };
                    let _ = writeln!(w, "period = \"{period}\"");
                }
                _ => {}
            }
            let _ = writeln!(w, "{}", src(source(rng)));
        }

        // Events.
        let mut event_ids = BTreeSet::new();
        for _ in 0..rng.low(1, 4) {
            let kind = *rng.pick(&["launch", "start-of-operation", "signing", "completion"]);
            let subject = if kind == "signing" && !agreements.is_empty() && rng.chance(70) {
                rng.pick(&agreements).id.clone()
            } else {
                let candidates: Vec<&Entity> = entities
                    .iter()
                    .filter(|e| e.kind != STANDARD_SYSTEM)
                    .collect();
                rng.pick(&candidates).id.clone()
            };
            let base = format!("{subject}-{kind}");
            let mut id = base.clone();
            let mut n = 1;
            while !event_ids.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            let _ = writeln!(w, "\n[[events]]");
            let _ = writeln!(w, "id = {}", quote(&id));
            let _ = writeln!(w, "kind = \"{kind}\"");
            let _ = writeln!(w, "subject = {}", quote(&subject));
            let _ = writeln!(w, "date = \"{}\"", date_before(rng, modified, 2000));
            let _ = writeln!(w, "{}", src(source(rng)));
        }
        out
    }
}

/// The theme of a titled section, for titles.
fn theme_or(sections: &[Section]) -> &'static str {
    sections
        .iter()
        .find_map(|s| s.theme)
        .unwrap_or("cooperation")
}

/// An index drawn with the given relative weights.
fn weighted(rng: &mut Rng, weights: &[usize]) -> usize {
    let mut r = rng.below(weights.iter().sum());
    for (i, &w) in weights.iter().enumerate() {
        if r < w {
            return i;
        }
        r -= w;
    }
    unreachable!("r < sum of weights")
}

/// `"none"` when nothing is named, else whether the names are all or some of them.
fn listed(rng: &mut Rng, named: usize) -> &'static str {
    match named {
        0 => "none",
        _ if rng.chance(65) => "examples",
        _ => "complete",
    }
}

/// A TOML basic string: backslash, double quote and control characters escaped.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML array of basic strings.
fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}
