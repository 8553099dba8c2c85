//! Printing: the plan sheet, the take-home sheet and the progress report, laid
//! out once ([`layout`]) and painted into PDF ([`pdf`]), with maps drawn from the
//! same [`figure`](crate::figure) as the screen; and sending a PDF to a printer
//! ([`send`]).
//!
//! Nothing here names egui: the app's print dialog and the command line both
//! call [`Printed::pdf`], and the preview is drawn from that PDF.

pub mod batch;
mod chart;
mod consent_form;
pub mod destination;
pub mod layout;
mod map_block;
pub mod pdf;
mod plan_sheet;
pub mod portal;
pub mod preview;
mod progress_report;
pub mod send;
pub mod source;
mod take_home;
pub mod text;

use std::path::Path;

use jiff::civil::DateTime;

use crate::geometry::{BodyMap, BodyMapError};
use crate::model::{Client, PaperSize, PracticeSettings, Session};

pub use consent_form::consent_form;
pub use layout::Page;
pub use plan_sheet::plan_sheet;
pub use progress_report::{ReportInput, ReportRange, progress_report};
pub use take_home::take_home_sheet;

/// Why a document could not be made or sent.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("the body map could not be drawn: {0}")]
    Map(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error(transparent)]
    Send(#[from] send::SendError),
    #[error(
        "the plan sheet cannot be printed while the clinic's safety rules cannot be read, as its warnings \
         would be missing: {0}"
    )]
    ClinicRulesUnreadable(crate::storage::Problem),
    /// The work could not be given a thread of its own.
    #[error("{what} could not start: {source}")]
    NoThread { what: &'static str, source: std::io::Error },
    /// The thread doing the work ended without an answer.
    #[error("{what} stopped before it was done")]
    Stopped { what: &'static str },
}

impl From<&BodyMapError> for PrintError {
    fn from(error: &BodyMapError) -> Self {
        PrintError::Map(error.to_string())
    }
}

/// The documents Knotmap prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum DocumentKind {
    /// The therapist's copy of a session's plan.
    PlanSheet,
    /// What the client takes home: what was worked on and the aftercare.
    TakeHome,
    /// One client's progress over a date range.
    ProgressReport,
    /// What the client agreed to for a session, with the signatures; blank to sign on paper.
    Consent,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 4] = [
        DocumentKind::PlanSheet,
        DocumentKind::TakeHome,
        DocumentKind::Consent,
        DocumentKind::ProgressReport,
    ];

    /// The print job's name, as the desktop's print dialog and a printer's queue
    /// show it, where other people may see it: what the document is, never whose.
    pub fn job_title(self) -> String {
        format!("Knotmap {}", self.label().to_lowercase())
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::PlanSheet => "Plan sheet",
            DocumentKind::TakeHome => "Take-home sheet",
            DocumentKind::ProgressReport => "Progress report",
            DocumentKind::Consent => "Consent form",
        }
    }

    /// The word a file name of this document starts with.
    pub fn file_word(self) -> &'static str {
        match self {
            DocumentKind::PlanSheet => "plan",
            DocumentKind::TakeHome => "take-home",
            DocumentKind::ProgressReport => "report",
            DocumentKind::Consent => "consent",
        }
    }
}

/// What a sheet about one session is made from.
#[derive(Clone, Copy, Debug)]
pub struct SessionSheet<'a> {
    pub settings: &'a PracticeSettings,
    /// The clinic's own safety rules, applied on top of the built-in ones.
    pub clinic_rules: &'a crate::model::ClinicRules,
    /// The client's profile; `None` when it could not be read, which the sheet says.
    pub client: Option<&'a Client>,
    pub session: &'a Session,
    /// The client's last completed session before this one, for the safety rules
    /// that compare pressures.
    pub previous: Option<&'a Session>,
    /// The file the session came from, named in the footer.
    pub source: &'a Path,
    pub printed_at: DateTime,
    pub paper: PaperSize,
}

/// A document laid out and ready to be written.
#[derive(Clone, Debug)]
pub struct Printed {
    pub kind: DocumentKind,
    pub title: String,
    pub pages: Vec<Page>,
}

/// Characters of a document that no font here can draw: they print as boxes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unprintable {
    pub characters: Vec<char>,
    /// The first line of the document they are in.
    pub in_text: String,
}

impl std::fmt::Display for Unprintable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.characters.len();
        let listed: Vec<String> =
            self.characters.iter().map(|c| format!("{c} (U+{:04X})", u32::from(*c))).collect();
        let it = if count == 1 { "it" } else { "them" };
        write!(
            f,
            "{count} character{} cannot be printed and will show as {}: {}, in “{}”. ",
            if count == 1 { "" } else { "s" },
            if count == 1 { "a box" } else { "boxes" },
            listed.join(", "),
            self.in_text,
        )?;
        // Emoji are in the symbol planes; a newer one than Knotmap's emoji font is not in any system font either.
        if self.characters.iter().all(|c| u32::from(*c) >= 0x1F000) {
            let are = if count == 1 { "it is" } else { "they are" };
            write!(f, "Knotmap's emoji font is older than {are}: write {it} in words to have {it} on paper.")
        } else {
            write!(
                f,
                "Installing a font that has {it} makes {it} print (on Debian or Ubuntu, fonts-noto-cjk for \
                 Chinese, Japanese and Korean; fonts-noto for most other scripts)."
            )
        }
    }
}

impl Printed {
    /// The characters of the document that no font here draws, if any.
    pub fn unprintable(&self) -> Option<Unprintable> {
        let faces = text::Faces::get();
        let mut characters: Vec<char> = Vec::new();
        let mut in_text = None;
        for page in &self.pages {
            for mark in &page.marks {
                if let layout::Mark::Text { text, style, .. } = mark {
                    for character in faces.missing(text, style.weight) {
                        in_text.get_or_insert_with(|| text.clone());
                        if !characters.contains(&character) {
                            characters.push(character);
                        }
                    }
                }
            }
        }
        in_text.map(|in_text| Unprintable { characters, in_text })
    }

    /// The document as a PDF file's bytes.
    pub fn pdf(&self) -> Result<Vec<u8>, PrintError> {
        let map = BodyMap::standard()?;
        pdf::write_pdf(&self.pages, &self.title, map)
    }
}

/// "printed 30 Nov 2026 14:05 from clients/ana-lima/sessions/….ron": what every footer says.
fn footer(printed_at: DateTime, source: &Path) -> String {
    format!("Printed {} from {}", printed_at.strftime("%-d %b %Y %H:%M"), source.display())
}

/// "30 Nov 2026".
fn day_words(date: jiff::civil::Date) -> String {
    date.strftime("%-d %b %Y").to_string()
}

/// The name a document of `session` gets in a folder of many:
/// `2026-11-30-0900-ana-lima-plan.pdf`, sorting by time.
pub fn file_name(kind: DocumentKind, session: &Session) -> String {
    format!("{}-{}-{}.pdf", session.starts_at.strftime("%Y-%m-%d-%H%M"), session.client, kind.file_word())
}
