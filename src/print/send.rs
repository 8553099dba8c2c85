//! Sending a PDF to a printer, and opening it in the desktop's viewer.
//!
//! The app prints through the desktop ([`DesktopPrinting`]): its own print dialog
//! through the XDG print portal where there is one ([`super::portal`]), and
//! CUPS's printers beside it; the command line prints through CUPS ([`Cups`]):
//! printers listed with `lpstat`, a PDF sent with `lp`. All of it runs off the
//! window's thread. Behind the [`PrintService`] trait, so that tests print to a
//! double and never to paper.

use std::path::Path;
use std::process::Command;

use crate::model::PaperSize;

use super::PrintError;

/// A printer the print service offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printer {
    pub name: String,
    /// The desktop's default printer.
    pub is_default: bool,
    /// Printing asks the user first (the desktop's print dialog): not for many at once.
    pub asks: bool,
}

/// Where PDFs are printed.
pub trait PrintService: Send + Sync {
    /// The printers there are; empty when there are none.
    fn printers(&self) -> Result<Vec<Printer>, PrintError>;
    /// Sends the PDF at `pdf` to `printer`, on `paper`, `copies` times.
    fn print(&self, pdf: &Path, printer: &str, paper: PaperSize, copies: u16) -> Result<(), PrintError>;
    /// Opens the PDF at `pdf` in the desktop's viewer, without waiting for it.
    fn open_in_viewer(&self, pdf: &Path) -> Result<(), PrintError>;
}

/// The desktop's CUPS.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cups;

/// What the desktop's print dialog is called among the printers.
pub const DESKTOP_DIALOG: &str = "The desktop's print dialog";

/// The desktop's printing: its print dialog where the print portal offers one
/// (first, and the default), and CUPS's printers.
#[derive(Default)]
pub struct DesktopPrinting {
    portal: std::sync::OnceLock<Option<super::portal::PrintPortal>>,
}

impl DesktopPrinting {
    fn portal(&self) -> Option<&super::portal::PrintPortal> {
        self.portal.get_or_init(super::portal::PrintPortal::find).as_ref()
    }
}

impl PrintService for DesktopPrinting {
    fn printers(&self) -> Result<Vec<Printer>, PrintError> {
        let cups = Cups.printers();
        let Some(_) = self.portal() else {
            return cups;
        };
        let dialog = Printer { name: DESKTOP_DIALOG.to_owned(), is_default: true, asks: true };
        let others =
            cups.unwrap_or_default().into_iter().map(|printer| Printer { is_default: false, ..printer });
        Ok(std::iter::once(dialog).chain(others).collect())
    }

    fn print(&self, pdf: &Path, printer: &str, paper: PaperSize, copies: u16) -> Result<(), PrintError> {
        match self.portal() {
            Some(portal) if printer == DESKTOP_DIALOG => {
                let title =
                    pdf.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
                match portal.print(&title, pdf)? {
                    super::portal::PortalAnswer::Printed => Ok(()),
                    super::portal::PortalAnswer::Cancelled => {
                        Err(PrintError::Send("cancelled in the print dialog".into()))
                    }
                }
            }
            _ => Cups.print(pdf, printer, paper, copies),
        }
    }

    fn open_in_viewer(&self, pdf: &Path) -> Result<(), PrintError> {
        open_in_viewer(pdf)
    }
}

/// No print service at all: no printer, no viewer. What the app has until it is
/// given one, so that nothing prints by accident.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoPrinter;

impl PrintService for NoPrinter {
    fn printers(&self) -> Result<Vec<Printer>, PrintError> {
        Ok(Vec::new())
    }

    fn print(&self, _pdf: &Path, printer: &str, _paper: PaperSize, _copies: u16) -> Result<(), PrintError> {
        Err(PrintError::Send(format!("there is no printer {printer}")))
    }

    fn open_in_viewer(&self, _pdf: &Path) -> Result<(), PrintError> {
        Err(PrintError::Send("no PDF viewer is set up".into()))
    }
}

/// CUPS's name for a paper size.
pub fn media(paper: PaperSize) -> &'static str {
    match paper {
        PaperSize::A4 => "A4",
        PaperSize::Letter => "Letter",
    }
}

impl PrintService for Cups {
    fn printers(&self) -> Result<Vec<Printer>, PrintError> {
        let listed = run("lpstat", &["-e"])?;
        let default = run("lpstat", &["-d"]).unwrap_or_default();
        // "system default destination: office"
        let default = default.rsplit(':').next().map(str::trim).unwrap_or_default().to_owned();
        Ok(parse_printers(&listed, &default))
    }

    fn print(&self, pdf: &Path, printer: &str, paper: PaperSize, copies: u16) -> Result<(), PrintError> {
        let path = pdf.to_string_lossy();
        let media = format!("media={}", media(paper));
        let copies = copies.max(1).to_string();
        // "--" ends the options: a file whose name starts with "-" is still a file.
        run("lp", &["-d", printer, "-o", &media, "-o", "fit-to-page", "-n", &copies, "--", &path]).map(|_| ())
    }

    fn open_in_viewer(&self, pdf: &Path) -> Result<(), PrintError> {
        open_in_viewer(pdf)
    }
}

/// The printers of `lpstat -e`'s output, one name a line.
pub fn parse_printers(listed: &str, default: &str) -> Vec<Printer> {
    listed
        .lines()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| Printer { name: name.to_owned(), is_default: name == default, asks: false })
        .collect()
}

/// Runs a program of the print service and returns what it printed.
fn run(program: &str, args: &[&str]) -> Result<String, PrintError> {
    let output = Command::new(program).args(args).output().map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            PrintError::Send(format!(
                "no print service was found ({program} is not installed): save the PDF and print it from another program"
            ))
        } else {
            PrintError::Send(format!("{program} could not be started: {error}"))
        }
    })?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let said = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        Err(PrintError::Send(if said.is_empty() {
            format!("{program} failed ({})", output.status)
        } else {
            said
        }))
    }
}

/// Opens `path` in the desktop's default viewer for PDFs, without waiting for it.
pub fn open_in_viewer(path: &Path) -> Result<(), PrintError> {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    Command::new(opener)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|error| PrintError::Send(format!("no PDF viewer could be opened ({opener}: {error})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printers_of_lpstat_are_listed_with_the_default_marked() {
        let printers = parse_printers("front_desk\noffice_laser\n\n", "office_laser");
        assert_eq!(
            printers,
            vec![
                Printer { name: "front_desk".into(), is_default: false, asks: false },
                Printer { name: "office_laser".into(), is_default: true, asks: false },
            ]
        );
        assert!(parse_printers("", "").is_empty());
    }
}
