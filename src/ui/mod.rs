//! The desktop app (egui/eframe). It reads and writes through [`crate::storage`]
//! and shows [`crate::model`]; nothing below it knows of the screen.

// The folders follow the screens: the window shell, the clients, the session and
// its editors, the body map, history, printing, and the small widgets they share.
pub mod app;
pub mod clients;
pub mod handover;
pub mod history;
pub mod map;
pub mod print;
pub mod session;
pub mod widgets;

use std::path::PathBuf;

use app::end_signals;
pub use app::{Clock, KnotmapApp, LAST_PRACTICE_KEY, MAP_VIEW_KEY, Places, system_clock};
use map::MapView;
use widgets::{file_dialog, fonts};

use crate::storage::Practice;

/// Where Knotmap keeps its own folders on this machine.
pub fn default_places() -> Option<(PathBuf, Places)> {
    let dirs = directories::ProjectDirs::from("", "", "Knotmap")?;
    let data = dirs.data_dir();
    let printed = match directories::UserDirs::new() {
        Some(user) => printed_folder(user.document_dir(), user.home_dir()),
        None => data.join("Printed"),
    };
    Some((
        data.join("Practice"),
        Places {
            sample_practice: data.join("Sample practice"),
            printed,
            recovery: data.join("Recovery"),
            laptop_pin: data.join("laptop-pin.ron"),
        },
    ))
}

/// Where the window's PDFs go: `Knotmap` in the Documents folder, which is
/// `~/Documents` when the desktop names none (as xdg-user-dirs does itself).
fn printed_folder(documents: Option<&std::path::Path>, home: &std::path::Path) -> PathBuf {
    documents.map(std::path::Path::to_owned).unwrap_or_else(|| home.join("Documents")).join("Knotmap")
}

/// Opens the window on the practice at `practice` (given on the command line),
/// else the one opened last time, else the default practice, made on first run.
pub fn run(practice: Option<PathBuf>, plan: Option<PathBuf>) -> Result<(), RunError> {
    let Some((default_practice, places)) = default_places() else {
        return Err(RunError::NoHome);
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(app::WINDOW_TITLE)
            .with_app_id(APP_ID)
            .with_icon(window_icon())
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 560.0]),
        // Knotmap asks the system's fonts itself, before its bundled ones (see fonts.rs).
        system_font_fallback: false,
        // The window's own settings stay in Knotmap's data folder, where they
        // were before the window took its desktop name as its app id.
        persistence_path: window_settings_file(),
        ..Default::default()
    };
    eframe::run_native(
        "Knotmap",
        options,
        Box::new(move |cc| {
            fonts::install_fallback_fonts(&cc.egui_ctx);
            let remembered =
                cc.storage.and_then(|storage| eframe::get_value::<PathBuf>(storage, LAST_PRACTICE_KEY));
            let folder = practice_to_open(practice, remembered, default_practice);
            let practice = Practice::open_or_create(&folder)?;
            let map_view = cc
                .storage
                .and_then(|storage| eframe::get_value::<MapView>(storage, MAP_VIEW_KEY))
                .unwrap_or_default();
            let watch = cc
                .storage
                .and_then(|storage| {
                    eframe::get_value::<crate::storage::watch::WatchChoice>(storage, app::WATCH_KEY)
                })
                .unwrap_or_default();
            let idle_lock = cc
                .storage
                .and_then(|storage| eframe::get_value::<Option<u16>>(storage, app::IDLE_LOCK_KEY))
                .flatten();
            let dialogs = std::sync::Arc::new(file_dialog::NativeDialogs::new(cc.egui_ctx.clone()));
            let mut app = KnotmapApp::new(practice, places, system_clock())
                .with_map_view(map_view)
                .with_watch_choice(watch)
                .with_idle_lock(idle_lock)
                .with_file_dialogs(dialogs)
                .with_print_service(std::sync::Arc::new(crate::print::send::DesktopPrinting::default()));
            if let Some(plan) = plan {
                app = app.opening_plan(plan);
            }
            match end_signals::watch_end_signals(cc.egui_ctx.clone()) {
                Ok(requested) => app = app.with_shutdown_request(requested),
                // The app still works; only an end by the system would skip the last save.
                Err(error) => eprintln!("knotmap: cannot watch for the end signals ({error})"),
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(RunError::from)
}

/// The name the desktop knows Knotmap by: the window's app id, the desktop
/// file's and the icon's name (`assets/desktop/`), so the dock shows its icon.
pub const APP_ID: &str = "org.knotmap.Knotmap";

/// The window's settings file (`app.ron`) in Knotmap's data folder, the folder
/// made private if it is new.
fn window_settings_file() -> Option<PathBuf> {
    let folder = eframe::storage_dir("knotmap")?;
    if let Err(error) = crate::storage::create_private_folder(&folder) {
        eprintln!("knotmap: the window's settings cannot be kept in {}: {error}", folder.display());
        return None;
    }
    Some(folder.join("app.ron"))
}

/// The window's icon, the desktop's own picture of it.
fn window_icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!(
        "../../assets/desktop/icons/org.knotmap.Knotmap-256.png"
    ))
    .unwrap_or_default()
}

/// Why the window could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot find a home folder for Knotmap's data; use --practice DIR")]
    NoHome,
    #[error(transparent)]
    Window(#[from] eframe::Error),
}

/// The practice to open: the one asked for on the command line, else the one
/// opened last time if it is still there, else the default one.
pub fn practice_to_open(asked: Option<PathBuf>, remembered: Option<PathBuf>, default: PathBuf) -> PathBuf {
    let still_there = remembered.filter(|folder| folder.join(crate::storage::SETTINGS_FILE).is_file());
    asked.or(still_there).unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_pdfs_go_to_documents_even_where_the_desktop_names_no_documents_folder() {
        use std::path::Path;
        let home = Path::new("/home/sam");
        let german = Path::new("/home/sam/Dokumente");
        assert_eq!(printed_folder(Some(german), home), Path::new("/home/sam/Dokumente/Knotmap"));
        assert_eq!(printed_folder(None, home), Path::new("/home/sam/Documents/Knotmap"));
    }

    #[test]
    fn the_practice_opened_last_is_opened_again_unless_another_is_asked_for() {
        let folder = tempfile::tempdir().expect("temp dir");
        let last = folder.path().join("last");
        Practice::open_or_create(&last).expect("a practice");
        let default = folder.path().join("default");
        let asked = folder.path().join("asked");

        assert_eq!(practice_to_open(None, Some(last.clone()), default.clone()), last);
        assert_eq!(practice_to_open(Some(asked.clone()), Some(last.clone()), default.clone()), asked);
        assert_eq!(practice_to_open(None, None, default.clone()), default);
        let gone = folder.path().join("moved-away");
        assert_eq!(practice_to_open(None, Some(gone), default.clone()), default);
    }
}
