//! The sample practice: a made-up clinic, "Harbour Street Massage", whose clients
//! have months of roughly weekly sessions that look like a real practice's. It is
//! written by `knotmap sample DIR`, by the app's "Open the sample practice", and,
//! by the thousand clients, for the benchmarks ([`write_large_practice`]).
//!
//! Everything comes from a fixed seed and the day it is written, so the same day
//! gives the same files, byte for byte. The people are invented: phone numbers are
//! from the range Ofcom keeps for drama (07700 900xxx) and e-mail addresses are at
//! example.com.
//!
//! The sessions follow the safety rules ([`crate::safety`]): pressure stays under
//! every cap a flag or a caution zone sets, never rises by two steps or more from
//! one session to the next, and regions a recent surgery or a skin condition names
//! are marked "avoid" and not worked. Where the rules ask for medical clearance,
//! the session records it as an override with its reason, as a therapist would, so
//! the sample has no unexplained warning. Marks lie inside their region's shape.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use jiff::ToSpan;
use jiff::civil::{Date, DateTime};

use crate::geometry::BodyMap;
use crate::model::{
    Amendment, Client, ClientId, FindingKind, FlagDetails, HealthFlag, MapMark, MapPoint, Minutes, Outcome,
    Pain, PaperSize, PracticeSettings, Pressure, REGIONS, RegionId, RegionWork, Response, SafetyOverride,
    SafetyRule, Session, SessionId, SessionStatus, Technique, Tension, default_aftercare,
};
use crate::safety::{self, AvoidSource, SafetyRules};
use crate::storage::{
    CLIENT_FILE, CLIENTS_FOLDER, KeptFile, OpenError, Practice, SESSIONS_FOLDER, SETTINGS_FILE, SaveError,
    TRASH_FOLDER, create_private_folder,
};

/// Why the sample practice was not written.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    #[error(
        "{0} is not empty, so the sample practice was not written there; \
         choose a new folder, or an empty one"
    )]
    NotEmpty(PathBuf),
    #[error("{0} is a file, not a folder, so the sample practice was not written there; choose a new folder")]
    NotAFolder(PathBuf),
    #[error("cannot look at {path}: {source}; check that the folder exists and that you may read it")]
    Inspect { path: PathBuf, source: io::Error },
    #[error("cannot create the sample practice in {path}: {source}; {}", what_now(.partial.as_deref()))]
    Create {
        path: PathBuf,
        source: OpenError,
        /// Where part of the sample may have been left, if anywhere.
        partial: Option<PathBuf>,
    },
    #[error("cannot write the sample practice: {source}; {}", what_now(.partial.as_deref()))]
    Save {
        source: SaveError,
        /// Where part of the sample may have been left, if anywhere.
        partial: Option<PathBuf>,
    },
    #[error(
        "cannot make the folder {path} to write the sample practice in: {source}; \
         check the path and that you may write there"
    )]
    Prepare { path: PathBuf, source: io::Error },
    #[error(
        "cannot write {path}: {source}; check that you may write there and that the disk is not full, \
         then delete the half-written folder and try again"
    )]
    Write { path: PathBuf, source: io::Error },
    #[error(
        "cannot put the sample practice in place at {path}: {source}; the folder {staged} holds it instead"
    )]
    Finish { path: PathBuf, staged: PathBuf, source: io::Error },
    #[error("cannot write {path}: {message}; this is a bug in Knotmap, please report it")]
    Format { path: PathBuf, message: String },
}

/// What to do after a failed write, and what it left behind.
fn what_now(partial: Option<&Path>) -> String {
    let advice = "check that you may write there and that the disk is not full";
    match partial {
        None => format!("nothing was left behind; {advice}"),
        Some(root) => {
            format!("{} may now hold part of it: empty that folder, {advice}, then try again", root.display())
        }
    }
}

/// What [`write_sample_practice`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleSummary {
    pub clients: usize,
    /// Every session, completed and planned.
    pub sessions: usize,
    /// The sessions still planned (booked for today or later).
    pub planned: usize,
}

impl fmt::Display for SampleSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} clients, {} sessions ({} planned)", self.clients, self.sessions, self.planned)
    }
}

/// The clinic's name in the sample.
pub const SAMPLE_CLINIC: &str = "Harbour Street Massage";
const THERAPISTS: [&str; 3] = ["Sam Okafor", "Lena Fischer", "Rosa Delgado"];
/// The clinic's own techniques, listed in the settings and used by some complaints.
const CLINIC_TECHNIQUES: [&str; 2] = ["Cupping", "Instrument-assisted soft tissue work"];

/// Writes the sample practice to `root`, which must not exist yet or be an empty
/// folder, with sessions dated around `today`: months of completed sessions, and
/// for some clients a planned one ahead.
///
/// Files go through [`Practice`], so each is written atomically and private to
/// the user. When `root` does not exist yet, the practice is written in a hidden
/// folder beside it and renamed into place at the end, so that a failure never
/// leaves half a sample where the app would open it.
pub fn write_sample_practice(root: &Path, today: Date) -> Result<SampleSummary, SampleError> {
    let exists = ensure_new_or_empty(root)?;
    let staged = if exists { None } else { staging_folder(root) };
    let target = staged.as_deref().unwrap_or(root);
    if let Some(staged) = &staged {
        prepare_staging(root, staged)?;
    }

    // When written in place, a failure may leave part of the sample there.
    let partial = if staged.is_some() { None } else { Some(root) };
    let written = write_sample_into(target, root, today, partial);
    let summary = match written {
        Ok(summary) => summary,
        Err(error) => {
            if let Some(staged) = &staged {
                // Only the hidden folder this call made goes; nothing of the user's.
                let _ = fs::remove_dir_all(staged);
            }
            return Err(error);
        }
    };
    if let Some(staged) = &staged {
        fs::rename(staged, root).map_err(|source| SampleError::Finish {
            path: root.to_owned(),
            staged: staged.clone(),
            source,
        })?;
        sync_folder(parent_of(root));
    }
    Ok(summary)
}

/// Writes the sample into `target` (the practice folder itself, or the hidden
/// folder it is written in first); errors name `root`, the folder the user chose.
fn write_sample_into(
    target: &Path,
    root: &Path,
    today: Date,
    partial: Option<&Path>,
) -> Result<SampleSummary, SampleError> {
    let partial = || partial.map(Path::to_owned);
    let mut practice = Practice::open_or_create(target).map_err(|source| SampleError::Create {
        path: root.to_owned(),
        source,
        partial: partial(),
    })?;
    let save_error = |source| SampleError::Save { source, partial: partial() };
    practice.save_settings(&sample_settings()).map_err(save_error)?;
    let mut summary = SampleSummary { clients: 0, sessions: 0, planned: 0 };
    for (client, sessions) in sample_clients(today) {
        practice.save_client(&client).map_err(save_error)?;
        for session in &sessions {
            practice.save_session(session).map_err(save_error)?;
        }
        summary.clients += 1;
        summary.sessions += sessions.len();
        summary.planned += sessions.iter().filter(|s| s.status == SessionStatus::Planned).count();
    }
    Ok(summary)
}

/// Writes a practice of `clients` clients with `sessions_per_client` sessions
/// each, the last ones around `today`, for benchmarks. The sessions come from
/// the same generator as the sample's; the files are in the same format and
/// layout as any practice's, written directly without flushing each to disk (a
/// hundred thousand flushed, atomic saves would take far too long). The settings
/// file is written last, so an interrupted run does not leave a practice.
pub fn write_large_practice(
    root: &Path,
    clients: usize,
    sessions_per_client: usize,
    today: Date,
) -> Result<(), SampleError> {
    ensure_new_or_empty(root)?;
    for folder in [root.join(CLIENTS_FOLDER), root.join(TRASH_FOLDER)] {
        create_private_folder(&folder)
            .map_err(|source| SampleError::Write { path: folder.clone(), source })?;
    }
    let indexes: Vec<usize> = (0..clients).collect();
    crate::cores::on_every_core(&indexes, |&index| {
        let persona = large_persona(index, sessions_per_client, today);
        let sessions = persona_sessions(&persona, Stop::Count(sessions_per_client), today);
        write_client_files(root, &persona.client(), &sessions)
    })
    .into_iter()
    .collect::<Result<(), SampleError>>()?;
    let settings_path = root.join(SETTINGS_FILE);
    write_plain(&settings_path, &to_ron(&settings_path, &sample_settings())?)
}

fn write_client_files(root: &Path, client: &Client, sessions: &[Session]) -> Result<(), SampleError> {
    let folder = root.join(CLIENTS_FOLDER).join(client.id.as_str());
    let sessions_folder = folder.join(SESSIONS_FOLDER);
    create_private_folder(&sessions_folder)
        .map_err(|source| SampleError::Write { path: sessions_folder.clone(), source })?;
    let profile = folder.join(CLIENT_FILE);
    write_plain(&profile, &to_ron(&profile, client)?)?;
    for session in sessions {
        let path = sessions_folder.join(format!("{}.ron", session.id));
        write_plain(&path, &to_ron(&path, session)?)?;
    }
    Ok(())
}

fn to_ron<T: KeptFile>(path: &Path, value: &T) -> Result<String, SampleError> {
    value
        .check()
        .map_err(|invalid| SampleError::Format { path: path.to_owned(), message: invalid.message })?;
    value.to_ron().map_err(|error| SampleError::Format { path: path.to_owned(), message: error.to_string() })
}

/// Writes a file private to the user, as the practice's own saves make them, but
/// without flushing it to disk.
fn write_plain(path: &Path, text: &str) -> Result<(), SampleError> {
    use std::io::Write;
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|source| SampleError::Write { path: path.to_owned(), source })
}

/// Refuses anything but a missing path or an empty folder; says whether it exists.
fn ensure_new_or_empty(root: &Path) -> Result<bool, SampleError> {
    let inspect = |source| SampleError::Inspect { path: root.to_owned(), source };
    match fs::metadata(root) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(inspect(error)),
        Ok(metadata) if !metadata.is_dir() => Err(SampleError::NotAFolder(root.to_owned())),
        Ok(_) => {
            let mut entries = fs::read_dir(root).map_err(inspect)?;
            if entries.next().is_some() { Err(SampleError::NotEmpty(root.to_owned())) } else { Ok(true) }
        }
    }
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A hidden folder beside `root` to write the sample in, or `None` if `root`
/// has no name to make one from. The process ID keeps two writers apart.
fn staging_folder(root: &Path) -> Option<PathBuf> {
    let name = root.file_name()?.to_str()?;
    let process = std::process::id();
    Some(parent_of(root).join(format!(".{name}.knotmap-sample-{process}")))
}

/// Makes the staging folder, private to the user. It must be new: what is
/// there already is someone else's and is left alone.
fn prepare_staging(root: &Path, staged: &Path) -> Result<(), SampleError> {
    let parent = parent_of(root);
    create_private_folder(parent)
        .map_err(|source| SampleError::Prepare { path: parent.to_owned(), source })?;
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(staged).map_err(|source| SampleError::Prepare { path: staged.to_owned(), source })
}

/// Makes a rename in `folder` durable; a failure only loses durability, not data.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(file) = fs::File::open(folder) {
        let _ = file.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

/// The practice settings of the sample clinic.
fn sample_settings() -> PracticeSettings {
    PracticeSettings {
        clinic_name: SAMPLE_CLINIC.to_owned(),
        contact: "12 Harbour Street · 0161 496 0000 · bookings@harbourstreet.example".to_owned(),
        therapists: THERAPISTS.map(str::to_owned).to_vec(),
        paper_size: PaperSize::A4,
        default_session_minutes: minutes(60),
        aftercare: default_aftercare(),
        next_visit_interval_days: 7,
        extra_techniques: CLINIC_TECHNIQUES.map(str::to_owned).to_vec(),
        consent_wording: Default::default(),
        opening_hours: Default::default(),
    }
}

// ---------------------------------------------------------------------------
// A small deterministic generator.

/// SplitMix64: tiny, fast, and good enough to vary made-up sessions.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be 0.
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `0.0..1.0`.
    fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    fn chance(&mut self, probability: f32) -> bool {
        self.unit() < probability
    }

    /// A number in `-1.0..1.0`, more often near 0.
    fn noise(&mut self) -> f32 {
        self.unit() + self.unit() - 1.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SEED: u64 = 0x4B4E_4F54_4D41_5021;

// ---------------------------------------------------------------------------
// Complaints: the regions a kind of back pain involves, and how they are worked.

/// One region a complaint involves, as it is at the first session.
struct Focus {
    region: RegionId,
    tension: u8,
    pain: u8,
    /// Findings, the most common first: a region with tension `t` shows the first `t`.
    findings: &'static [FindingKind],
    /// Techniques for the region, the warm-up first.
    techniques: &'static [Technique],
    /// Worked every session; the others only on some.
    primary: bool,
}

const fn main_area(
    region: RegionId,
    tension: u8,
    pain: u8,
    findings: &'static [FindingKind],
    techniques: &'static [Technique],
) -> Focus {
    Focus { region, tension, pain, findings, techniques, primary: true }
}

const fn also(
    region: RegionId,
    tension: u8,
    pain: u8,
    findings: &'static [FindingKind],
    techniques: &'static [Technique],
) -> Focus {
    Focus { region, tension, pain, findings, techniques, primary: false }
}

/// A kind of back, neck or shoulder problem, as clients bring it.
struct Complaint {
    /// The regions in the order of work.
    focus: &'static [Focus],
    /// The client's goals in their own words: at first, and once things improve.
    goals: [&'static str; 2],
    region_notes: &'static [(RegionId, &'static str)],
    /// Advice added to the default aftercare.
    home_care: &'static [&'static str],
    /// Notes on how a session went, from early in the course to late.
    outcome_notes: &'static [&'static str],
    /// One of [`CLINIC_TECHNIQUES`] this complaint often gets.
    clinic_technique: Option<&'static str>,
}

use FindingKind as F;
use RegionId as R;
use Technique as T;

// The complaints are tables, one line a region (region, tension, pain, findings,
// techniques), so they are kept out of rustfmt's way.

#[rustfmt::skip]
static DESK_NECK: Complaint = Complaint {
    focus: &[
        main_area(R::UpperTrapeziusR, 3, 6, &[F::Hypertonicity, F::TriggerPoint, F::Tenderness],
            &[T::Effleurage, T::Petrissage, T::Stripping, T::TriggerPointRelease]),
        main_area(R::LevatorScapulaeR, 3, 7, &[F::TriggerPoint, F::ReferredPain, F::Tenderness],
            &[T::MyofascialRelease, T::PinAndStretch, T::TriggerPointRelease, T::Stretching]),
        main_area(R::SuboccipitalsR, 2, 5, &[F::Tenderness, F::ReferredPain],
            &[T::MyofascialRelease, T::TriggerPointRelease]),
        main_area(R::NeckR, 2, 4, &[F::Hypertonicity], &[T::Effleurage, T::MyofascialRelease, T::Stretching]),
        also(R::UpperTrapeziusL, 2, 3, &[F::Hypertonicity, F::TriggerPoint],
            &[T::Effleurage, T::Petrissage, T::Stripping]),
        also(R::NeckL, 1, 2, &[F::Hypertonicity], &[T::Effleurage, T::MyofascialRelease]),
        also(R::RhomboidsR, 2, 3, &[F::Adhesion, F::TriggerPoint], &[T::MyofascialRelease, T::CrossFiberFriction]),
    ],
    goals: [
        "Turn my head to check my blind spot without pain",
        "Get through a full day at the laptop without a headache by three o'clock",
    ],
    region_notes: &[
        (R::LevatorScapulaeR, "Tender at the superior angle; refers up into the neck"),
        (R::UpperTrapeziusR, "Ropey band, eases with slow stripping"),
        (R::SuboccipitalsR, "Sustained pressure reproduces her usual headache, then it fades"),
    ],
    home_care: &[
        "Chin tucks, 10 slow ones twice a day.",
        "Raise the laptop screen to eye level.",
        "Doorway chest stretch, 30 seconds, three times a day.",
    ],
    outcome_notes: &[
        "Headache eased during the suboccipital work.",
        "Could turn her head further to the right at the end.",
        "Says the new monitor stand helps.",
    ],
    clinic_technique: None,
};

#[rustfmt::skip]
static LOW_BACK_GARDEN: Complaint = Complaint {
    focus: &[
        main_area(R::LumbarL, 2, 5, &[F::Tenderness, F::Hypertonicity], &[T::Effleurage, T::MyofascialRelease]),
        main_area(R::ErectorSpinaeLumbarL, 3, 6, &[F::Hypertonicity, F::Tenderness, F::Spasm],
            &[T::Effleurage, T::Petrissage, T::MyofascialRelease]),
        main_area(R::QuadratusLumborumL, 3, 7, &[F::TriggerPoint, F::Spasm, F::ReferredPain],
            &[T::MyofascialRelease, T::TriggerPointRelease, T::Stretching]),
        main_area(R::GluteusMediusL, 2, 4, &[F::TriggerPoint, F::ReferredPain],
            &[T::Petrissage, T::TriggerPointRelease]),
        also(R::ErectorSpinaeLumbarR, 2, 3, &[F::Hypertonicity], &[T::Effleurage, T::Petrissage]),
        also(R::LumbarR, 1, 2, &[F::Tenderness], &[T::Effleurage, T::MyofascialRelease]),
        also(R::PiriformisL, 2, 3, &[F::Tenderness, F::TriggerPoint], &[T::PinAndStretch, T::Stretching]),
    ],
    goals: [
        "Get through a morning in the garden without my back seizing up",
        "Bend down to pick up my grandson without thinking about it",
    ],
    region_notes: &[
        (R::QuadratusLumborumL, "Twinge on side-bending to the right"),
        (R::ErectorSpinaeLumbarL, "Guarding eases after the first ten minutes"),
    ],
    home_care: &[
        "Heat on the low back in the evening.",
        "Knee-to-chest stretch before getting out of bed.",
        "Kneel on a pad when weeding, and stand up every 20 minutes.",
    ],
    outcome_notes: &[
        "Bruising check: no marks from last week.",
        "Stood up from the table without bracing.",
        "Did two hours of pruning this week.",
    ],
    clinic_technique: None,
};

#[rustfmt::skip]
static ROUNDED_SHOULDERS: Complaint = Complaint {
    focus: &[
        main_area(R::UpperTrapeziusL, 2, 5, &[F::Hypertonicity, F::TriggerPoint], &[T::Effleurage, T::Petrissage]),
        main_area(R::UpperTrapeziusR, 2, 5, &[F::Hypertonicity, F::TriggerPoint], &[T::Effleurage, T::Petrissage]),
        main_area(R::MiddleTrapeziusL, 2, 3, &[F::Tenderness, F::Hypertonicity],
            &[T::Effleurage, T::MyofascialRelease]),
        main_area(R::MiddleTrapeziusR, 2, 3, &[F::Tenderness, F::Hypertonicity],
            &[T::Effleurage, T::MyofascialRelease]),
        main_area(R::RhomboidsL, 2, 4, &[F::Hypertonicity, F::Adhesion], &[T::Effleurage, T::MyofascialRelease]),
        main_area(R::RhomboidsR, 2, 4, &[F::Hypertonicity, F::Adhesion], &[T::Effleurage, T::MyofascialRelease]),
        also(R::ErectorSpinaeThoracicL, 2, 3, &[F::Hypertonicity], &[T::Effleurage, T::MyofascialRelease]),
        also(R::ErectorSpinaeThoracicR, 2, 3, &[F::Hypertonicity], &[T::Effleurage, T::MyofascialRelease]),
        also(R::PosteriorDeltoidL, 1, 2, &[F::Tenderness], &[T::Effleurage, T::Petrissage]),
    ],
    goals: [
        "Stand up straight at choir without my shoulders burning",
        "Carry the shopping home from the market",
    ],
    region_notes: &[
        (R::RhomboidsL, "Broad, gentle strokes only, well away from the spine"),
        (R::UpperTrapeziusR, "Knot at mid-belly softens with slow compression"),
    ],
    home_care: &[
        "Shoulder blade squeezes, 10 slow ones morning and night.",
        "Wall angels, only as far as is comfortable.",
    ],
    outcome_notes: &[
        "Comfortable lying prone with a pillow under the chest.",
        "Sat up taller at the end of the session.",
        "Choir rehearsal went well this week.",
    ],
    clinic_technique: None,
};

#[rustfmt::skip]
static PREGNANCY_BACK: Complaint = Complaint {
    focus: &[
        main_area(R::LumbarR, 2, 5, &[F::Tenderness, F::Hypertonicity], &[T::Effleurage, T::MyofascialRelease]),
        main_area(R::LumbarL, 2, 4, &[F::Tenderness, F::Hypertonicity], &[T::Effleurage, T::MyofascialRelease]),
        main_area(R::Sacrum, 2, 6, &[F::Tenderness, F::ReferredPain], &[T::MyofascialRelease, T::Effleurage]),
        main_area(R::GluteusMediusR, 2, 5, &[F::TriggerPoint, F::Tenderness],
            &[T::Petrissage, T::TriggerPointRelease]),
        also(R::PiriformisR, 2, 4, &[F::ReferredPain, F::TriggerPoint], &[T::MyofascialRelease, T::Stretching]),
        also(R::QuadratusLumborumR, 2, 4, &[F::Hypertonicity], &[T::MyofascialRelease, T::Stretching]),
        also(R::UpperTrapeziusL, 1, 2, &[F::Hypertonicity], &[T::Effleurage, T::Petrissage]),
    ],
    goals: [
        "Sleep through the night without my lower back aching",
        "Keep walking the dog every morning until the baby comes",
    ],
    region_notes: &[
        (R::Sacrum, "Worked side-lying; right sacroiliac joint tender"),
        (R::GluteusMediusR, "Side-lying with a pillow between the knees"),
    ],
    home_care: &[
        "A pillow between the knees at night.",
        "Pelvic tilts on hands and knees, 10 twice a day.",
    ],
    outcome_notes: &[
        "Side-lying throughout; comfortable.",
        "Midwife happy for massage to continue.",
        "Slept better the two nights after the last session.",
    ],
    clinic_technique: None,
};

/// The regions a rotator cuff repair on the right names as "avoid" for twelve weeks.
const SHOULDER_SURGERY_REGIONS: [RegionId; 3] = [R::SupraspinatusR, R::InfraspinatusR, R::PosteriorDeltoidR];

#[rustfmt::skip]
static SHOULDER_POSTOP: Complaint = Complaint {
    focus: &[
        main_area(R::UpperTrapeziusR, 3, 5, &[F::Hypertonicity, F::TriggerPoint, F::Tenderness],
            &[T::Effleurage, T::Petrissage, T::Stripping]),
        main_area(R::LevatorScapulaeR, 2, 4, &[F::Hypertonicity, F::TriggerPoint],
            &[T::MyofascialRelease, T::PinAndStretch]),
        main_area(R::SupraspinatusR, 2, 5, &[F::Adhesion, F::Tenderness],
            &[T::MyofascialRelease, T::CrossFiberFriction]),
        main_area(R::InfraspinatusR, 2, 5, &[F::Adhesion, F::TriggerPoint], &[T::MyofascialRelease, T::PinAndStretch]),
        main_area(R::PosteriorDeltoidR, 2, 4, &[F::Tenderness, F::Adhesion], &[T::Effleurage, T::MyofascialRelease]),
        also(R::LatissimusDorsiR, 2, 3, &[F::Hypertonicity], &[T::Effleurage, T::Stretching]),
        also(R::UpperTrapeziusL, 2, 3, &[F::Hypertonicity], &[T::Effleurage, T::Petrissage]),
        also(R::RhomboidsR, 2, 3, &[F::Hypertonicity, F::TriggerPoint],
            &[T::MyofascialRelease, T::TriggerPointRelease]),
    ],
    goals: [
        "Reach the top shelf and sleep on my right side again",
        "Get back to swimming lengths without the shoulder complaining",
    ],
    region_notes: &[
        (R::SupraspinatusR, "Scar tissue feels tight; gentle skin rolling only"),
        (R::UpperTrapeziusR, "Hitching the shoulder to guard; eases with slow petrissage"),
    ],
    home_care: &[
        "Pendulum swings, as the physiotherapist showed.",
        "Ice the shoulder for 10 minutes after the physio exercises.",
    ],
    outcome_notes: &[
        "Physio says his range is ahead of schedule.",
        "Slept on the right side for part of the night.",
        "Reached shoulder height without hitching.",
    ],
    clinic_technique: None,
};

#[rustfmt::skip]
static MID_BACK_SITTING: Complaint = Complaint {
    focus: &[
        main_area(R::MiddleTrapeziusR, 2, 4, &[F::Hypertonicity, F::Tenderness], &[T::Effleurage, T::Petrissage]),
        main_area(R::ErectorSpinaeThoracicR, 3, 5, &[F::Hypertonicity, F::TriggerPoint, F::Tenderness],
            &[T::Effleurage, T::MyofascialRelease, T::Stripping]),
        main_area(R::LowerTrapeziusR, 2, 4, &[F::TriggerPoint, F::ReferredPain],
            &[T::Petrissage, T::TriggerPointRelease]),
        main_area(R::LatissimusDorsiR, 2, 4, &[F::TriggerPoint, F::Hypertonicity], &[T::Petrissage, T::Stretching]),
        also(R::MiddleTrapeziusL, 2, 3, &[F::Hypertonicity], &[T::Effleurage, T::Petrissage]),
        also(R::LowerTrapeziusL, 1, 2, &[F::Tenderness], &[T::Effleurage, T::MyofascialRelease]),
        also(R::TeresR, 2, 3, &[F::TriggerPoint], &[T::Petrissage, T::TriggerPointRelease]),
    ],
    goals: [
        "Sit through a whole film without shifting to ease my back",
        "Hang the washing on the line without the ache between my shoulder blades",
    ],
    region_notes: &[
        (R::ErectorSpinaeThoracicR, "Asked often about pressure: she feels less than she should"),
        (R::LatissimusDorsiR, "Tight band along the side; lengthens with the arm overhead"),
    ],
    home_care: &[
        "Get up and walk around every 30 minutes when sitting.",
        "A rolled towel behind the back in the armchair.",
    ],
    outcome_notes: &[
        "Checked the skin after the session: no redness.",
        "Ache between the shoulder blades came back after a long drive.",
        "Watched a film at the weekend without getting up.",
    ],
    clinic_technique: Some(CLINIC_TECHNIQUES[1]),
};

#[rustfmt::skip]
static LOW_BACK_LIFTING: Complaint = Complaint {
    focus: &[
        main_area(R::ErectorSpinaeLumbarL, 3, 6, &[F::Spasm, F::Hypertonicity, F::Tenderness],
            &[T::Petrissage, T::Stripping, T::MyofascialRelease]),
        main_area(R::QuadratusLumborumL, 3, 6, &[F::TriggerPoint, F::Hypertonicity, F::ReferredPain],
            &[T::MyofascialRelease, T::TriggerPointRelease]),
        main_area(R::GluteusMediusL, 2, 5, &[F::TriggerPoint, F::ReferredPain, F::Tenderness],
            &[T::Stripping, T::TriggerPointRelease]),
        main_area(R::PiriformisL, 2, 5, &[F::ReferredPain, F::Tenderness, F::NumbnessOrTingling],
            &[T::PinAndStretch, T::TriggerPointRelease]),
        also(R::LumbarR, 2, 3, &[F::Hypertonicity], &[T::Effleurage, T::Petrissage]),
        also(R::LatissimusDorsiL, 2, 3, &[F::Hypertonicity], &[T::Petrissage, T::Stretching]),
    ],
    goals: [
        "Lift at work all day without my back locking up",
        "Drive the van for an hour without pins and needles in my left leg",
    ],
    region_notes: &[
        (R::PiriformisL, "Pressure here sends tingling down the back of the left thigh"),
        (R::ErectorSpinaeLumbarL, "Still guarding at the end of the session"),
    ],
    home_care: &[
        "Bend the knees and keep loads close when lifting.",
        "Walk for ten minutes at lunch instead of sitting in the van.",
    ],
    outcome_notes: &[
        "Pain worse after a week of heavy lifting on site.",
        "Tingling down the left leg after the session; advised to see his GP.",
        "Little change; booked in with the GP about the leg.",
    ],
    clinic_technique: None,
};

#[rustfmt::skip]
static CLIMBER_UPPER: Complaint = Complaint {
    focus: &[
        main_area(R::RhomboidsR, 3, 5, &[F::TriggerPoint, F::Hypertonicity, F::ReferredPain],
            &[T::Stripping, T::TriggerPointRelease, T::CrossFiberFriction]),
        main_area(R::InfraspinatusL, 2, 4, &[F::TriggerPoint, F::ReferredPain],
            &[T::TriggerPointRelease, T::PinAndStretch]),
        main_area(R::TeresL, 2, 4, &[F::TriggerPoint, F::Hypertonicity], &[T::PinAndStretch, T::Stripping]),
        main_area(R::LatissimusDorsiL, 2, 3, &[F::Hypertonicity, F::Adhesion], &[T::Stripping, T::Stretching]),
        also(R::PosteriorDeltoidL, 2, 3, &[F::TriggerPoint], &[T::Petrissage, T::TriggerPointRelease]),
        also(R::UpperTrapeziusL, 1, 2, &[F::Hypertonicity], &[T::Effleurage, T::Petrissage]),
        also(R::SpleniusL, 1, 2, &[F::Hypertonicity], &[T::MyofascialRelease, T::Stretching]),
    ],
    goals: [
        "Climb twice a week without the knot under my right shoulder blade",
        "Hang from the fingerboard for a full set without my shoulder giving out",
    ],
    region_notes: &[
        (R::RhomboidsR, "Hard nodule at the medial border, level with T5"),
        (R::InfraspinatusL, "Trigger point refers to the front of the shoulder"),
    ],
    home_care: &[
        "Thread-the-needle stretch after climbing.",
        "Band pull-aparts, 3 sets of 15, on rest days.",
    ],
    outcome_notes: &[
        "Sore the day after, as expected; fine by the second day.",
        "Nodule at the rhomboid much smaller.",
        "Full set on the fingerboard this week.",
    ],
    clinic_technique: Some(CLINIC_TECHNIQUES[0]),
};

/// Every complaint, for the large practice to draw from. (Statics, so that each
/// has one address to tell it by.)
static COMPLAINTS: [&Complaint; 8] = [
    &DESK_NECK,
    &LOW_BACK_GARDEN,
    &ROUNDED_SHOULDERS,
    &PREGNANCY_BACK,
    &SHOULDER_POSTOP,
    &MID_BACK_SITTING,
    &LOW_BACK_LIFTING,
    &CLIMBER_UPPER,
];

// ---------------------------------------------------------------------------
// Clients.

/// How often a client comes.
#[derive(Clone, Copy)]
enum Cadence {
    Weekly,
    Fortnightly,
}

impl Cadence {
    /// The interval the plan suggests for the next visit.
    fn days(self) -> i64 {
        match self {
            Cadence::Weekly => 7,
            Cadence::Fortnightly => 14,
        }
    }

    /// The days until the next real visit: mostly the interval, sometimes a
    /// little later, sometimes a missed week.
    fn next_gap(self, rng: &mut Rng) -> i64 {
        let roll = rng.unit();
        match self {
            Cadence::Weekly if roll < 0.72 => 7,
            Cadence::Weekly if roll < 0.84 => 14,
            Cadence::Weekly if roll < 0.93 => 10,
            Cadence::Weekly => 11 + rng.below(3) as i64,
            Cadence::Fortnightly if roll < 0.6 => 14,
            Cadence::Fortnightly if roll < 0.88 => 10 + rng.below(4) as i64,
            Cadence::Fortnightly => 21,
        }
    }
}

/// A made-up client and the course of their treatment.
struct Persona {
    id: &'static str,
    /// The ID when it is not a literal (the large practice's clients).
    owned_id: Option<String>,
    name: String,
    born: Date,
    phone: String,
    email: String,
    pressure_preference: Option<u8>,
    flags: BTreeMap<HealthFlag, FlagDetails>,
    notes: String,
    complaint: &'static Complaint,
    /// How much the pain falls over the course (0.6: to 40%); below 0, how much it grows.
    improvement: f32,
    therapist: usize,
    /// The usual appointment time, hour and minute.
    slot: (i8, i8),
    minutes: u16,
    cadence: Cadence,
    /// The first session, this many days before today.
    history_days: i64,
    /// Whether a next session is booked ahead.
    books_ahead: bool,
    seed: u64,
}

impl Persona {
    fn id(&self) -> ClientId {
        let text = self.owned_id.as_deref().unwrap_or(self.id);
        // Every ID here is made of lower-case words, digits and '-', so it is valid.
        ClientId::new(text).unwrap_or_else(|_| ClientId::new("client").expect("a valid literal ID"))
    }

    fn client(&self) -> Client {
        Client {
            id: self.id(),
            name: self.name.clone(),
            date_of_birth: Some(self.born),
            phone: self.phone.clone(),
            email: self.email.clone(),
            pressure_preference: self.pressure_preference.map(pressure),
            health_flags: self.flags.clone(),
            clinic_flags: Default::default(),
            notes: self.notes.clone(),
            intakes: Vec::new(),
        }
    }
}

fn days_before(date: Date, days: i64) -> Date {
    date.saturating_sub(days.days())
}

fn days_after(date: Date, days: i64) -> Date {
    date.saturating_add(days.days())
}

fn flag(since: Option<Date>, note: &str, regions: &[RegionId]) -> FlagDetails {
    FlagDetails { since, note: note.to_owned(), regions: regions.to_vec() }
}

#[allow(clippy::too_many_arguments)]
fn persona(
    id: &'static str,
    name: &str,
    born: Date,
    phone: u16,
    complaint: &'static Complaint,
    improvement: f32,
    therapist: usize,
    slot: (i8, i8),
    history_days: i64,
    books_ahead: bool,
) -> Persona {
    let email = format!("{}@example.com", id.replace('-', "."));
    Persona {
        id,
        owned_id: None,
        name: name.to_owned(),
        born,
        phone: format!("07700 900{phone:03}"),
        email,
        pressure_preference: None,
        flags: BTreeMap::new(),
        notes: String::new(),
        complaint,
        improvement,
        therapist,
        slot,
        minutes: 60,
        cadence: Cadence::Weekly,
        history_days,
        books_ahead,
        seed: SEED ^ u64::from(phone).wrapping_mul(0x2545_F491_4F6C_DD1D),
    }
}

/// The sample's clients, their flags dated relative to `today`.
fn sample_personas(today: Date) -> Vec<Persona> {
    use jiff::civil::date;
    let mut people = Vec::new();

    let mut maria = persona(
        "maria-lopez",
        "María López",
        date(1983, 4, 17),
        114,
        &DESK_NECK,
        0.65,
        0,
        (9, 30),
        150,
        true,
    );
    maria.pressure_preference = Some(4);
    maria.flags.insert(
        HealthFlag::HighBloodPressure,
        flag(None, "On amlodipine; well controlled, checks it at home", &[]),
    );
    maria.notes =
        "Product designer, at a laptop most of the day. Right-handed; carries her bag on the right \
                   shoulder. Tension headaches two or three times a week when she started."
            .to_owned();
    people.push(maria);

    let mut david = persona(
        "david-chen",
        "David Chen",
        date(1967, 9, 2),
        231,
        &LOW_BACK_GARDEN,
        0.55,
        0,
        (11, 0),
        165,
        true,
    );
    david.pressure_preference = Some(4);
    david.flags.insert(
        HealthFlag::BloodThinners,
        flag(Some(days_before(today, 900)), "Apixaban for atrial fibrillation; bruises easily", &[]),
    );
    david.notes = "Retired teacher, keen gardener. Likes firm work but stays at medium because of the \
                   anticoagulant; checks for bruises at every visit."
        .to_owned();
    people.push(david);

    let mut eileen = persona(
        "eileen-murphy",
        "Eileen Murphy",
        date(1954, 1, 28),
        342,
        &ROUNDED_SHOULDERS,
        0.45,
        1,
        (10, 0),
        180,
        true,
    );
    eileen.pressure_preference = Some(2);
    eileen.flags.insert(
        HealthFlag::Osteoporosis,
        flag(
            Some(days_before(today, 2200)),
            "Diagnosed on a DEXA scan; on alendronate. Wedge fracture at T8 in the past",
            &[],
        ),
    );
    eileen.notes =
        "Sings in the church choir. Rounded upper back; prefers a pillow under the chest when prone."
            .to_owned();
    people.push(eileen);

    let mut priya = persona(
        "priya-raman",
        "Priya Raman",
        date(1992, 11, 8),
        457,
        &PREGNANCY_BACK,
        0.35,
        1,
        (17, 30),
        120,
        true,
    );
    priya.pressure_preference = Some(3);
    let pregnancy_start = days_before(today, 30 * 7);
    let due = days_after(pregnancy_start, 40 * 7);
    priya.flags.insert(
        HealthFlag::Pregnancy,
        flag(
            Some(pregnancy_start),
            &format!("Due {due}. Side-lying with pillows; no prone positioning. Midwife aware of massage"),
            &[],
        ),
    );
    priya.notes = "First pregnancy. Low back and right buttock ache, worse at night.".to_owned();
    people.push(priya);

    let mut james = persona(
        "james-oconnor",
        "James O'Connor",
        date(1976, 6, 21),
        568,
        &SHOULDER_POSTOP,
        0.7,
        0,
        (18, 0),
        140,
        true,
    );
    james.pressure_preference = Some(3);
    // The surgery eight weeks before the first session: the first month avoids the shoulder.
    let surgery = days_before(today, 140 + 56);
    james.flags.insert(
        HealthFlag::RecentSurgeryOrInjury,
        flag(
            Some(surgery),
            "Arthroscopic rotator cuff repair, right shoulder; physiotherapy twice a week",
            &SHOULDER_SURGERY_REGIONS,
        ),
    );
    james.notes =
        "Surveyor and keen swimmer. Surgeon cleared massage around the shoulder; the repaired cuff is \
                   off limits until twelve weeks after surgery."
            .to_owned();
    people.push(james);

    let mut grace = persona(
        "grace-whitfield",
        "Grace Whitfield",
        date(1961, 3, 3),
        679,
        &MID_BACK_SITTING,
        0.5,
        2,
        (14, 0),
        155,
        false,
    );
    grace.pressure_preference = Some(3);
    grace.flags.insert(
        HealthFlag::ReducedSensation,
        flag(Some(days_before(today, 3000)), "Type 2 diabetes with peripheral neuropathy", &[]),
    );
    grace.flags.insert(
        HealthFlag::SkinCondition,
        flag(None, "Patch of eczema over the left shoulder blade; do not work over it", &[R::InfraspinatusL]),
    );
    grace.notes = "Retired librarian. Ask about pressure often: reduced sensation means she may not notice \
                   too much."
        .to_owned();
    people.push(grace);

    let mut tom = persona(
        "tom-becker",
        "Tom Becker",
        date(1988, 8, 14),
        783,
        &LOW_BACK_LIFTING,
        -0.35,
        2,
        (16, 0),
        130,
        false,
    );
    tom.pressure_preference = Some(5);
    tom.notes = "Scaffolder; lifts all day. Wants it deep. Pain has crept up despite the sessions: referred \
                 to his GP about the tingling in the left leg."
        .to_owned();
    people.push(tom);

    let mut aiko = persona(
        "aiko-tanaka",
        "Aiko Tanaka",
        date(1998, 2, 9),
        895,
        &CLIMBER_UPPER,
        0.75,
        1,
        (19, 0),
        150,
        true,
    );
    aiko.pressure_preference = Some(5);
    aiko.notes = "Software developer and boulderer. Likes deep work and cupping after climbing.".to_owned();
    people.push(aiko);

    people
}

/// The sample's clients and their sessions.
fn sample_clients(today: Date) -> Vec<(Client, Vec<Session>)> {
    sample_personas(today)
        .iter()
        .map(|persona| {
            let mut sessions = persona_sessions(persona, Stop::Through, today);
            if persona.id == "maria-lopez" {
                add_amendment(&mut sessions);
            }
            (persona.client(), sessions)
        })
        .collect()
}

/// A dated note added to a completed session, as a therapist's record keeps them.
fn add_amendment(sessions: &mut [Session]) {
    let Some(session) = sessions.get_mut(2).filter(|s| s.status == SessionStatus::Completed) else {
        return;
    };
    session.amendments.push(Amendment {
        made_at: days_after(session.starts_at.date(), 1).at(8, 40, 0, 0),
        therapist: session.therapist.clone(),
        reason: "The client phoned the next morning".to_owned(),
        change: "Added to the outcome: a mild headache that evening, gone by the morning; no bruising."
            .to_owned(),
        before: None,
    });
}

const FEMALE_NAMES: [&str; 32] = [
    "Amelia", "Olivia", "Sofia", "Hannah", "Chloe", "Grace", "Isla", "Fatima", "Mei", "Ana", "Zara", "Leah",
    "Nadia", "Ingrid", "Maeve", "Aisha", "Yuki", "Elena", "Freya", "Ruth", "Joanna", "Lucia", "Tamsin",
    "Niamh", "Priya", "Carmen", "Helen", "Ewa", "Bronwen", "Sara", "Noor", "Kirsty",
];
const MALE_NAMES: [&str; 32] = [
    "Oliver", "Jack", "Mohammed", "Daniel", "Liam", "Ethan", "Samuel", "Arjun", "Kenji", "Luca", "Mateo",
    "Owen", "Rory", "Tomasz", "Ahmed", "Callum", "Dev", "Felix", "Gareth", "Hugo", "Idris", "Jonah", "Kwame",
    "Lars", "Malik", "Niall", "Pedro", "Rhys", "Stefan", "Theo", "Victor", "Wei",
];
const SURNAMES: [&str; 48] = [
    "Smith", "Jones", "Patel", "Nguyen", "Murphy", "Kowalski", "Okafor", "Fischer", "Rossi", "Haddad", "Kim",
    "Silva", "Brennan", "Walsh", "Campbell", "Ahmadi", "Novak", "Larsen", "Morgan", "Hughes", "Evans",
    "Singh", "Costa", "Dubois", "Khan", "Ito", "Reid", "Fraser", "Price", "Byrne", "Lund", "Mensah",
    "Santos", "Yilmaz", "Hartmann", "Quinn", "Osei", "Ferreira", "Baker", "Clarke", "Ward", "Ross", "Chen",
    "Lopez", "Tanaka", "Becker", "White", "Raman",
];
const SLOTS: [(i8, i8); 10] =
    [(9, 0), (9, 30), (10, 30), (11, 0), (12, 0), (14, 0), (15, 30), (16, 0), (17, 30), (18, 30)];

/// The client at `index` of a large practice, who will have `sessions` visits: a
/// made-up person with one of the sample's complaints and, for about a quarter
/// of them, a health flag.
fn large_persona(index: usize, sessions: usize, today: Date) -> Persona {
    let mut rng = Rng::new(SEED ^ (index as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let complaint = *rng.pick(&COMPLAINTS);
    let pregnant = std::ptr::eq(complaint, &PREGNANCY_BACK);
    let first = if pregnant || rng.chance(0.5) { *rng.pick(&FEMALE_NAMES) } else { *rng.pick(&MALE_NAMES) };
    let surname = *rng.pick(&SURNAMES);
    let name = format!("{first} {surname}");
    let stem = name.to_ascii_lowercase().replace(' ', "-");
    let id = format!("{stem}-{index:05}");
    let age_days = (if pregnant { 9_000 + rng.below(5_000) } else { 7_000 + rng.below(20_000) }) as i64;
    let cadence = if pregnant || rng.chance(0.8) { Cadence::Weekly } else { Cadence::Fortnightly };
    // Long enough that the last visit or two fall around today.
    let typical_gap = match cadence {
        Cadence::Weekly => 8,
        Cadence::Fortnightly => 14,
    };
    let history_days = sessions as i64 * typical_gap - rng.below(7) as i64;
    let first_session = days_before(today, history_days);

    let mut flags = BTreeMap::new();
    if pregnant {
        let start = days_before(first_session, 70 + rng.below(40) as i64);
        let due = days_after(start, 280);
        flags.insert(HealthFlag::Pregnancy, flag(Some(start), &format!("Due {due}. Side-lying only"), &[]));
    } else if std::ptr::eq(complaint, &SHOULDER_POSTOP) {
        let surgery = days_before(first_session, 20 + rng.below(60) as i64);
        flags.insert(
            HealthFlag::RecentSurgeryOrInjury,
            flag(Some(surgery), "Rotator cuff repair, right shoulder", &SHOULDER_SURGERY_REGIONS),
        );
    }
    if rng.chance(0.25) {
        let (kind, note) = *rng.pick(&[
            (HealthFlag::BloodThinners, "Warfarin; bruises easily"),
            (HealthFlag::Osteoporosis, "Osteoporosis on a DEXA scan"),
            (HealthFlag::HighBloodPressure, "Treated high blood pressure"),
            (HealthFlag::ReducedSensation, "Diabetic neuropathy"),
            (HealthFlag::BloodClots, "DVT in the left calf some years ago; GP cleared massage"),
            (HealthFlag::Cancer, "Cancer, in remission; oncologist cleared light massage"),
        ]);
        flags.insert(kind, flag(Some(days_before(first_session, 200 + rng.below(2_000) as i64)), note, &[]));
    }
    let improvement = if rng.chance(0.08) { -0.2 - 0.3 * rng.unit() } else { 0.3 + 0.5 * rng.unit() };
    Persona {
        id: "",
        owned_id: Some(id.clone()),
        name,
        born: days_before(today, age_days),
        phone: format!("07700 900{:03}", index % 1000),
        email: format!("{}@example.com", stem.replace('-', ".")),
        pressure_preference: if rng.chance(0.8) { Some(2 + rng.below(4) as u8) } else { None },
        flags,
        notes: String::new(),
        complaint,
        improvement,
        therapist: rng.below(THERAPISTS.len()),
        slot: *rng.pick(&SLOTS),
        minutes: *rng.pick(&[60, 60, 60, 45, 90]),
        cadence,
        history_days,
        books_ahead: rng.chance(0.6),
        seed: rng.next_u64(),
    }
}

// ---------------------------------------------------------------------------
// Sessions: shared by the sample and the large practice.

/// When the run of visits ends.
#[derive(Clone, Copy)]
enum Stop {
    /// Up to today, and one booked ahead if the client books ahead.
    Through,
    /// Exactly this many, the first `history_days` before today.
    Count(usize),
}

/// The days of a client's visits: from `history_days` before today, at the
/// client's real cadence, moved off Sundays.
fn visit_days(persona: &Persona, stop: Stop, today: Date, rng: &mut Rng) -> Vec<Date> {
    let mut days = Vec::new();
    let mut day = days_before(today, persona.history_days);
    loop {
        if day.weekday() == jiff::civil::Weekday::Sunday {
            day = days_after(day, 1);
        }
        match stop {
            Stop::Through if day >= today => {
                if persona.books_ahead {
                    days.push(day);
                }
                break;
            }
            Stop::Count(count) if days.len() >= count => break,
            _ => days.push(day),
        }
        day = days_after(day, persona.cadence.next_gap(rng));
    }
    days
}

/// Every session of `persona`: completed before today, planned from today on.
fn persona_sessions(persona: &Persona, stop: Stop, today: Date) -> Vec<Session> {
    let mut rng = Rng::new(persona.seed);
    let days = visit_days(persona, stop, today, &mut rng);
    let mut last_pressure = [None::<u8>; REGIONS.len()];
    let client = persona.client();
    let last_index = days.len().saturating_sub(1).max(1) as f32;
    days.iter()
        .enumerate()
        .map(|(index, &day)| {
            let progress = index as f32 / last_index;
            build_session(persona, &client, index, day, progress, today, &mut last_pressure, &mut rng)
        })
        .collect()
}

/// The highest pressure the safety rules allow `client` on `region`.
fn pressure_cap(client: &Client, region: RegionId) -> u8 {
    match SafetyRules::standard() {
        Ok(rules) => rules.cap(client, region).map_or(Pressure::MAX, |cap| cap.max).get(),
        // Without the body map (its own tests rule that out), the careful side.
        Err(_) => Pressure::LIGHT.get(),
    }
}

/// What a therapist writes when the client's doctor has cleared the massage,
/// for each flag the safety rules ask clearance for.
fn clearance_reason(client: &Client) -> String {
    let reasons: Vec<&str> = client
        .health_flags
        .keys()
        .filter_map(|flag| match flag {
            HealthFlag::BloodClots => Some("GP cleared massage at medium pressure or less"),
            HealthFlag::Cancer => Some("Oncologist cleared light massage"),
            HealthFlag::RecentSurgeryOrInjury => {
                Some("Surgeon cleared massage away from the repair; the physiotherapist knows")
            }
            _ => None,
        })
        .collect();
    if reasons.is_empty() { "Cleared by the client's doctor".to_owned() } else { reasons.join("; ") }
}

#[allow(clippy::too_many_arguments)]
fn build_session(
    persona: &Persona,
    client: &Client,
    index: usize,
    day: Date,
    progress: f32,
    today: Date,
    last_pressure: &mut [Option<u8>],
    rng: &mut Rng,
) -> Session {
    let complaint = persona.complaint;
    let (hour, minute) = if rng.chance(0.85) { persona.slot } else { *rng.pick(&SLOTS) };
    let starts_at: DateTime = day.at(hour, minute, 0, 0);
    let completed = day < today;
    let therapist =
        if rng.chance(0.9) { persona.therapist } else { (persona.therapist + 1) % THERAPISTS.len() };
    let session_minutes = if rng.chance(0.1) && persona.minutes == 60 { 45 } else { persona.minutes };
    // The pain and tension relative to the first session.
    let level = (1.0 - persona.improvement * progress).max(0.1);

    let avoided = safety::avoided_by_flags(client, day);
    let mut regions = Vec::new();
    let mut marks = Vec::new();
    for focus in complaint.focus {
        if avoided.contains_key(&focus.region) {
            continue;
        }
        if !focus.primary && !rng.chance(0.55) {
            continue;
        }
        let tension = (f32::from(focus.tension) * level + 0.45 * rng.noise()).round().clamp(0.0, 3.0) as u8;
        let tension = if focus.primary { tension.max(1) } else { tension };
        let pain = (f32::from(focus.pain) * level + 1.2 * rng.noise()).round().clamp(0.0, 10.0) as u8;
        let findings: Vec<FindingKind> = focus.findings.iter().take(usize::from(tension)).copied().collect();

        let cap = pressure_cap(client, focus.region);
        let mut target = persona.pressure_preference.unwrap_or(4).min(cap);
        if pain >= 7 || tension == 0 {
            target = target.saturating_sub(1);
        }
        let target = target.max(1);
        let slot = &mut last_pressure[focus.region as usize];
        // Start a step below the target, then rise at most a step a session.
        let planned = match *slot {
            None => target.saturating_sub(1).max(1),
            Some(last) => target.min(last + 1),
        }
        .clamp(1, cap);
        *slot = Some(planned);

        let wanted = 1 + usize::from(tension >= 2) + usize::from(tension == 3 && planned >= 3);
        let mut techniques = vec![focus.techniques[0].clone()];
        for technique in &focus.techniques[1..] {
            if techniques.len() < wanted && rng.chance(0.6) {
                techniques.push(technique.clone());
            }
        }
        if let Some(name) = complaint.clinic_technique
            && focus.primary
            && rng.chance(0.3)
        {
            techniques.push(Technique::Clinic(name.to_owned()));
        }

        let notes = complaint
            .region_notes
            .iter()
            .find(|(region, _)| *region == focus.region)
            .filter(|_| rng.chance(0.3))
            .map(|(_, note)| (*note).to_owned())
            .unwrap_or_default();

        if focus.primary && findings.contains(&FindingKind::TriggerPoint) && rng.chance(0.5) {
            marks.extend(mark(persona, focus.region, FindingKind::TriggerPoint, "", rng));
        }
        if findings.contains(&FindingKind::NumbnessOrTingling) {
            marks.extend(mark(
                persona,
                focus.region,
                FindingKind::NumbnessOrTingling,
                "Tingling into the leg",
                rng,
            ));
        }

        regions.push(RegionWork {
            region: focus.region,
            tension: Some(tension_value(tension)),
            pain: Some(pain_value(pain)),
            findings,
            pressure: Some(pressure(planned)),
            techniques,
            minutes: None,
            notes,
        });
    }
    share_minutes(&mut regions, session_minutes, rng);

    // Avoided regions are on the map, marked, but not worked; one mark per flag.
    let mut marked_flags: Vec<HealthFlag> = Vec::new();
    for (region, reasons) in &avoided {
        let flags: Vec<HealthFlag> = reasons
            .iter()
            .filter_map(|reason| match reason.source {
                AvoidSource::Flag(flag) => Some(flag),
                _ => None,
            })
            .collect();
        let note =
            flags.iter().find_map(|flag| client.health_flags.get(flag)).map_or("", |d| d.note.as_str());
        let mut entry = RegionWork::new(*region);
        entry.findings = vec![FindingKind::Avoid];
        entry.notes = format!("Not worked: {note}");
        regions.push(entry);
        if let Some(&flag) = flags.iter().find(|flag| !marked_flags.contains(flag)) {
            marked_flags.push(flag);
            marks.extend(mark(persona, *region, FindingKind::Avoid, note, rng));
        }
    }

    let mut aftercare = default_aftercare();
    if !complaint.home_care.is_empty() && rng.chance(0.7) {
        aftercare.push((*rng.pick(complaint.home_care)).to_owned());
    }

    let mut session = Session::new(persona.id(), starts_at, minutes(session_minutes.into()));
    session.id = session_id(starts_at, index);
    session.therapist = THERAPISTS[therapist].to_owned();
    session.goals = complaint.goals[usize::from(progress > 0.55)].to_owned();
    session.regions = regions;
    session.marks = marks;
    session.aftercare = aftercare;
    session.next_visit = Some(days_after(day, persona.cadence.days()));
    if completed {
        // Signed on the laptop before hands went on, as the app asks.
        let signed_at = starts_at.saturating_sub(5.minutes());
        let wording = crate::model::consent::consent_text(&Default::default(), client, &session);
        let client_signs = signature(client.display_name(), signed_at, rng);
        let therapist_signs = signature(THERAPISTS[therapist], signed_at, rng);
        let sign = crate::model::consent::ConsentChange::Sign {
            client: client_signs,
            therapist: Some(therapist_signs),
        };
        // Only a record refuses a consent, and this session is not one yet.
        let _signed = crate::model::consent::change_consent(
            &mut session,
            sign,
            wording,
            THERAPISTS[therapist],
            signed_at,
        );
        session.status = SessionStatus::Completed;
        session.outcome = Some(outcome(persona, &session, progress, rng));
    }
    record_clearance(client, &mut session, today);
    if completed {
        // A record keeps the flags it was judged by, as the app's own completing does.
        session.judged_by =
            Some(crate::model::JudgedBy::of(client, &crate::model::ClinicRules::default(), None, starts_at));
    }
    session
}

/// A signature as a hand draws one: two strokes of waves across the box.
fn signature(name: &str, at: jiff::civil::DateTime, rng: &mut Rng) -> crate::model::Signature {
    let mut strokes = Vec::new();
    let mut across = 80 + rng.below(60);
    for _ in 0..2 {
        let mut stroke = Vec::new();
        for step in 0..10 {
            let down = if step % 2 == 0 { 350 + rng.below(150) } else { 550 + rng.below(150) };
            stroke.push((across.min(1000) as u16, down.min(1000) as u16));
            across += 25 + rng.below(20);
        }
        strokes.push(stroke);
        across += 40;
    }
    crate::model::Signature { name: name.to_owned(), signed_at: at, strokes }
}

/// Writes, as a therapist does, the notes the safety rules ask for: that the
/// client's doctor cleared the session, and how a pregnant client lay.
fn record_clearance(client: &Client, session: &mut Session, today: Date) {
    // Only a health flag asks for a note; most clients have none.
    if client.health_flags.is_empty() {
        return;
    }
    let Ok(rules) = SafetyRules::standard() else {
        return;
    };
    let report = rules.check_session(client, session, None);
    // Written before the session, or this morning for one still to come.
    let decided_at = if session.status == SessionStatus::Completed {
        session.starts_at.saturating_sub(10.minutes())
    } else {
        today.at(8, 0, 0, 0)
    };
    for warning in report.unexplained() {
        let reason = match warning.rule {
            SafetyRule::MedicalClearance => clearance_reason(client),
            SafetyRule::PronePositioning => "Side-lying, with a pillow between the knees.".to_owned(),
            _ => continue,
        };
        session.overrides.push(SafetyOverride {
            rule: warning.rule,
            region: None,
            reason,
            decided_at,
            carried_from: None,
        });
    }
}

/// Shares the session's time among the regions worked, by how tense they are,
/// leaving five minutes for talking and aftercare.
fn share_minutes(regions: &mut [RegionWork], session_minutes: u16, rng: &mut Rng) {
    if regions.is_empty() {
        return;
    }
    let budget = i64::from(session_minutes.saturating_sub(5).max(regions.len() as u16 * 3));
    let weights: Vec<i64> = regions
        .iter()
        .map(|work| 2 + i64::from(work.tension.map_or(0, Tension::get)) * 2 + rng.below(2) as i64)
        .collect();
    let total: i64 = weights.iter().sum();
    let mut shares: Vec<i64> = weights.iter().map(|weight| (budget * weight / total).max(3)).collect();
    let spare = budget - shares.iter().sum::<i64>();
    if let Some(largest) = (0..shares.len()).max_by_key(|&index| shares[index]) {
        shares[largest] = (shares[largest] + spare).max(3);
    }
    for (work, share) in regions.iter_mut().zip(shares) {
        work.minutes = Some(minutes(share));
    }
}

/// How the session went: pain before from the worst region, after lower for
/// a client who is improving, much the same or worse for one who is not.
fn outcome(persona: &Persona, session: &Session, progress: f32, rng: &mut Rng) -> Outcome {
    let before = session.regions.iter().filter_map(|work| work.pain).map(Pain::get).max().unwrap_or(3).max(1);
    let after = if persona.improvement >= 0.0 {
        before.saturating_sub(1 + rng.below(3) as u8)
    } else {
        match rng.below(5) {
            0 | 1 => before,
            2 | 3 => before.saturating_sub(1),
            _ => (before + 1).min(10),
        }
    };
    let response = match i16::from(before) - i16::from(after) {
        3.. => Response::MuchBetter,
        1..=2 => Response::Better,
        0 => Response::NoChange,
        _ => Response::Worse,
    };
    // The notes run from early in the course to late, so pick by progress.
    let notes = persona.complaint.outcome_notes;
    let notes = if !notes.is_empty() && rng.chance(0.35) {
        notes[((progress * notes.len() as f32) as usize).min(notes.len() - 1)].to_owned()
    } else {
        String::new()
    };
    Outcome {
        pain_before: Some(pain_value(before)),
        pain_after: Some(pain_value(after)),
        response: Some(response),
        notes,
    }
}

/// A session ID such as `2026-06-02-0930-s01`: the start, and the visit's number.
fn session_id(starts_at: DateTime, index: usize) -> SessionId {
    let text = format!("{}-s{:02}", starts_at.strftime("%Y-%m-%d-%H%M"), index + 1);
    // Digits and '-' only, so this cannot fail; the fallback keeps it total.
    SessionId::new(text).unwrap_or_else(|_| SessionId::new("session").expect("a valid literal ID"))
}

/// A mark on `region`, at the same spot for the same client each time (that is
/// how knots keep coming back), give or take a little; always inside the
/// region's shape on the body map. `None` only if the body map cannot be built.
fn mark(
    persona: &Persona,
    region: RegionId,
    kind: FindingKind,
    note: &str,
    rng: &mut Rng,
) -> Option<MapMark> {
    let mut spot = Rng::new(persona.seed ^ (region as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407));
    let dx = 0.015 * spot.noise() + 0.004 * rng.noise();
    let dy = 0.012 * spot.noise() + 0.004 * rng.noise();
    let shape = BodyMap::standard().ok()?.region(region);
    // Three decimals are finer than a fingertip, and keep the files readable.
    let round = |v: f32| (v * 1000.0).round() / 1000.0;
    let [x, y] = shape.label_point;
    let moved = [round(x + dx), round(y + dy)];
    let [x, y] = if shape.outline.contains(moved) { moved } else { [round(x), round(y)] };
    Some(MapMark { at: MapPoint::clamped(x, y), kind, note: note.to_owned() })
}

// The values below are made within their scales by the generator; the
// fallbacks only keep these functions total.

fn pressure(value: u8) -> Pressure {
    Pressure::new(i64::from(value).clamp(1, 5)).unwrap_or(Pressure::MEDIUM)
}

fn tension_value(value: u8) -> Tension {
    Tension::new(i64::from(value).min(3)).unwrap_or(Tension::MAX)
}

fn pain_value(value: u8) -> Pain {
    Pain::new(i64::from(value).min(10)).unwrap_or(Pain::MAX)
}

fn minutes(value: i64) -> Minutes {
    Minutes::new(value.clamp(1, 600)).unwrap_or(Minutes::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Layer;

    fn today() -> Date {
        jiff::civil::date(2026, 6, 2)
    }

    #[test]
    fn the_sample_opens_with_no_problems_and_every_session_is_valid() {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path().join("Sample practice");
        let summary = write_sample_practice(&root, today()).unwrap();
        let entries = fs::read_dir(folder.path()).unwrap().count();
        assert_eq!(entries, 1, "only the practice is left beside it, no staging folder");

        let mut practice = Practice::open(&root).unwrap();
        assert!(practice.problems().is_empty(), "{:?}", practice.problems());
        assert_eq!(practice.settings().clinic_name, SAMPLE_CLINIC);
        assert!(practice.client_count() >= 7, "{summary}");
        assert_eq!(practice.client_count(), summary.clients);

        let ids: Vec<ClientId> = practice.clients().map(|entry| entry.client.id.clone()).collect();
        let mut total = 0;
        for id in &ids {
            let client = practice.client(id).unwrap().client.clone();
            let sessions = practice.read_sessions(id);
            assert!(sessions.len() >= 12, "{id} has {} sessions", sessions.len());
            total += sessions.len();
            for session in &sessions {
                session.validate().unwrap();
                assert_eq!(session.client, *id);
                assert!(!session.goals.is_empty());
                assert!(!session.regions.is_empty());
                assert!(session.aftercare.starts_with(&default_aftercare()));
            }
            if client.health_flags.contains_key(&HealthFlag::BloodThinners) {
                let highest = sessions.iter().flat_map(|s| &s.regions).filter_map(|w| w.pressure).max();
                assert!(highest.is_some_and(|p| p <= Pressure::MEDIUM), "{id}: {highest:?}");
            }
        }
        assert_eq!(total, summary.sessions);
        assert!(practice.problems().is_empty(), "{:?}", practice.problems());
        assert!(
            practice.clients().any(|e| e.client.health_flags.contains_key(&HealthFlag::BloodThinners)),
            "the sample has a client on blood thinners"
        );
    }

    #[test]
    fn the_sample_is_the_same_for_the_same_day() {
        assert_eq!(sample_clients(today()), sample_clients(today()));
        let folder = tempfile::tempdir().unwrap();
        let (a, b) = (folder.path().join("a"), folder.path().join("b"));
        write_sample_practice(&a, today()).unwrap();
        write_sample_practice(&b, today()).unwrap();
        let path = Path::new(CLIENTS_FOLDER).join("maria-lopez").join(SESSIONS_FOLDER);
        let names: Vec<_> = fs::read_dir(a.join(&path)).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(!names.is_empty());
        for name in names {
            assert_eq!(
                fs::read(a.join(&path).join(&name)).unwrap(),
                fs::read(b.join(&path).join(&name)).unwrap()
            );
        }
    }

    #[test]
    fn a_folder_that_is_not_empty_is_refused_and_left_alone() {
        let folder = tempfile::tempdir().unwrap();
        fs::write(folder.path().join("notes.txt"), "mine").unwrap();
        let error = write_sample_practice(folder.path(), today()).unwrap_err();
        assert!(matches!(error, SampleError::NotEmpty(_)), "{error}");
        assert!(error.to_string().contains("choose a new folder"), "{error}");
        assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 1);

        let file = folder.path().join("notes.txt");
        assert!(matches!(write_sample_practice(&file, today()), Err(SampleError::NotAFolder(_))));
    }

    #[test]
    fn an_empty_folder_gets_the_sample_in_place() {
        let folder = tempfile::tempdir().unwrap();
        let summary = write_sample_practice(folder.path(), today()).unwrap();
        assert_eq!(Practice::open(folder.path()).unwrap().client_count(), summary.clients);
    }

    /// The rules of PRODUCT.md, checked on the generated sessions for many days
    /// (so that every weekday and month turn is covered) without touching the disk.
    #[test]
    fn sessions_keep_to_the_health_flag_rules_and_a_believable_cadence() {
        let map = BodyMap::standard().unwrap();
        let rules = SafetyRules::standard().unwrap();
        for offset in 0..40 {
            let today = days_after(today(), offset * 5);
            for (client, sessions) in sample_clients(today) {
                assert!(sessions.len() >= 12, "{} has {} sessions", client.name, sessions.len());
                let mut last = BTreeMap::new();
                for (index, session) in sessions.iter().enumerate() {
                    session.validate().unwrap();
                    let day = session.starts_at.date();
                    assert_eq!(session.status == SessionStatus::Completed, day < today, "{}", session.id);
                    assert_eq!(session.outcome.is_some(), day < today);
                    assert!(session.id.as_str().ends_with(&format!("-s{:02}", index + 1)));
                    if index > 0 {
                        let gap = sessions[index - 1].starts_at.date().until(day).unwrap().get_days();
                        assert!((6..=22).contains(&gap), "{}: {gap} days", session.id);
                    }
                    let planned: u32 = session.planned_minutes();
                    let length = u32::from(session.minutes.get());
                    assert!(
                        planned <= length && planned + 10 >= length,
                        "{}: {planned} of {length}",
                        session.id
                    );
                    let avoided = safety::avoided_by_flags(&client, day);
                    for work in &session.regions {
                        let pressure = work.pressure.map_or(0, Pressure::get);
                        if avoided.contains_key(&work.region) {
                            assert_eq!(work.pressure, None, "{}: {} is avoided", session.id, work.region);
                            assert_eq!(work.findings, [FindingKind::Avoid]);
                        } else if let Some(previous) = last.insert(work.region, pressure) {
                            assert!(pressure < previous + 2, "{}: {} rose by two", session.id, work.region);
                        }
                    }
                    for mark in &session.marks {
                        let at = [mark.at.x(), mark.at.y()];
                        assert!((0.25..=0.75).contains(&at[0]), "{mark:?}");
                        let on_a_region = Layer::ALL.iter().any(|&layer| map.region_at(at, layer).is_some());
                        assert!(on_a_region, "{}: {mark:?} is on no region", session.id);
                    }
                }
                let planned = sessions.iter().filter(|s| s.status == SessionStatus::Planned).count();
                assert!(planned <= 1, "{}", client.name);
                // Every cap, caution zone and avoid region kept; clearances recorded.
                for (session, report) in rules.check_client(&client, &sessions) {
                    let left: Vec<&str> = report.unexplained().map(|w| w.message.as_str()).collect();
                    assert!(left.is_empty(), "{}: {left:#?}", session.id);
                }
            }
        }
    }

    #[test]
    fn most_clients_improve_and_one_gets_worse() {
        let pain =
            |session: &Session| session.outcome.as_ref().and_then(|o| o.pain_before).map_or(0, Pain::get);
        let mut better = 0;
        let mut worse = 0;
        for (_, sessions) in sample_clients(today()) {
            let done: Vec<&Session> = sessions.iter().filter(|s| s.outcome.is_some()).collect();
            let early: u32 = done[..3].iter().map(|s| u32::from(pain(s))).sum();
            let late: u32 = done[done.len() - 3..].iter().map(|s| u32::from(pain(s))).sum();
            if late < early {
                better += 1;
            } else if late > early {
                worse += 1;
            }
        }
        assert!(better >= 6, "{better} improved");
        assert_eq!(worse, 1);
    }

    #[test]
    fn the_large_practice_is_a_practice_like_any_other() {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path().join("large");
        write_large_practice(&root, 30, 6, today()).unwrap();
        let mut practice = Practice::open(&root).unwrap();
        assert_eq!(practice.client_count(), 30);
        let ids: Vec<ClientId> = practice.clients().map(|entry| entry.client.id.clone()).collect();
        let mut planned = 0;
        for id in &ids {
            let sessions = practice.read_sessions(id);
            assert_eq!(sessions.len(), 6, "{id}");
            for session in &sessions {
                session.validate().unwrap();
            }
            planned += sessions.iter().filter(|s| s.status == SessionStatus::Planned).count();
        }
        // Mostly history, with a visit or two booked ahead, as in a real practice.
        assert!(planned <= ids.len() * 2, "{planned} planned");
        assert!(practice.problems().is_empty(), "{:?}", practice.problems());
        // The same files as the practice's own saves would write.
        let id = &ids[0];
        let session = practice.read_sessions(id).remove(0);
        let path = practice.session_path(id, &session.id);
        assert_eq!(fs::read_to_string(&path).unwrap(), session.to_ron().unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(matches!(write_large_practice(&root, 1, 1, today()), Err(SampleError::NotEmpty(_))));
    }
}
