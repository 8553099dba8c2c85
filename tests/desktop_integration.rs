//! Knotmap as the desktop knows it: the menu entry, the icon, the metainfo and
//! the plan files' type all name the same app, and the window calls itself by
//! that name, so the dock shows its icon; a double-clicked plan opens in it.

use crate::printed;
use crate::stories;

use std::path::{Path, PathBuf};
use std::process::Command;

use egui_kittest::kittest::Queryable;

fn desktop(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/desktop").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{} reads: {error}", path.display()))
}

/// The value of `key` in the desktop file's main group.
fn entry<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find_map(|line| line.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
        .unwrap_or_else(|| panic!("the desktop file has {key}"))
}

/// The text of the first `<tag>` element in `xml`.
fn element<'a>(xml: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}");
    let start = xml.find(&open).unwrap_or_else(|| panic!("<{tag}> is there"));
    let body = &xml[start..];
    let begin = body.find('>').map(|at| at + 1).unwrap_or(0);
    let end = body.find(&format!("</{tag}>")).unwrap_or(begin);
    body[begin..end].trim()
}

#[test]
fn the_menu_entry_the_icon_the_metainfo_the_plan_type_and_the_window_name_one_app() {
    let app_id = knotmap::ui::APP_ID;
    let entry_file = desktop(&format!("{app_id}.desktop"));
    let metainfo = desktop(&format!("{app_id}.metainfo.xml"));
    let mime = desktop(&format!("{app_id}.xml"));

    assert_eq!(element(&metainfo, "id"), app_id, "the metainfo's id is the window's app id");
    assert_eq!(element(&metainfo, "launchable"), format!("{app_id}.desktop"));
    assert_eq!(entry(&entry_file, "StartupWMClass"), app_id, "the dock matches the window to the entry");
    assert_eq!(entry(&entry_file, "Icon"), app_id);
    assert_eq!(entry(&entry_file, "Exec"), "knotmap %f", "a double-clicked file is given to knotmap");
    assert_eq!(element(&metainfo, "binary"), "knotmap");

    let plan_type = element(&metainfo, "mediatype");
    assert_eq!(entry(&entry_file, "MimeType"), format!("{plan_type};"));
    assert!(mime.contains(&format!("<mime-type type=\"{plan_type}\">")), "the type is defined");
    let suffix = knotmap::storage::PLAN_SUFFIX;
    assert!(
        mime.contains(&format!("pattern=\"*.{suffix}\"")),
        "its glob is the suffix Save plan as… proposes"
    );

    let release = element(&metainfo, "releases");
    assert!(
        release.contains(&format!("<release version=\"{}\"", env!("CARGO_PKG_VERSION"))),
        "the metainfo's releases name this version, which the package carries:\n{release}"
    );
    for screenshot in metainfo.split("<image>").skip(1) {
        let address = screenshot.split("</image>").next().unwrap_or_default();
        let in_repo =
            address.split("/main/").nth(1).unwrap_or_else(|| panic!("{address} is the repository's"));
        assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join(in_repo).is_file(), "{in_repo} is committed");
    }

    let icons = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/desktop/icons");
    assert!(icons.join(format!("{app_id}.svg")).is_file());
    for size in [16, 32, 48, 64, 128, 256] {
        let png = icons.join(format!("{app_id}-{size}.png"));
        let image = image::open(&png).unwrap_or_else(|error| panic!("{} reads: {error}", png.display()));
        assert_eq!((image.width(), image.height()), (size, size), "{}", png.display());
    }
}

#[test]
fn a_saved_plan_is_named_and_begins_as_the_desktop_recognises_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let client = printed::ana();
    let plan = knotmap::storage::PlanFile {
        client_name: client.name.clone(),
        exported_at: printed::printed_at(),
        session: printed::anas_plan(&client),
    };
    let name = plan.suggested_file_name();
    assert!(name.ends_with(".knotmap-plan.ron"), "{name}");
    let path = folder.path().join(&name);
    knotmap::storage::save_plan_file(&path, &plan).expect("saved");
    let text = std::fs::read_to_string(&path).expect("read");
    // The magic of assets/desktop/org.knotmap.Knotmap.xml: "format:" in the first
    // 16 bytes and "plan: (" from byte 8 to 48.
    assert!(text[..16.min(text.len())].contains("format:"), "{text:.60}");
    assert!(text[8..48.min(text.len())].contains("plan: ("), "{text:.60}");
}

#[test]
fn knotmap_version_says_the_version_and_the_file_format_it_writes() {
    let output = Command::new(env!("CARGO_BIN_EXE_knotmap")).arg("--version").output().expect("runs");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(said.contains(env!("CARGO_PKG_VERSION")), "{said}");
    assert!(said.contains(&format!("writes file format {}", knotmap::storage::CURRENT_FORMAT)), "{said}");
}

#[test]
fn a_plan_file_given_on_the_command_line_opens_in_the_window() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    knotmap::storage::Practice::open_or_create(&root).expect("a practice");
    let client = printed::ana();
    let plan = knotmap::storage::PlanFile {
        client_name: client.name.clone(),
        exported_at: printed::printed_at(),
        session: printed::anas_plan(&client),
    };
    let path: PathBuf = folder.path().join(plan.suggested_file_name());
    knotmap::storage::save_plan_file(&path, &plan).expect("saved");

    let mut harness = stories::app_opening_plan(&root, &path);
    harness.run();
    assert!(
        harness.query_by_label_contains("Opened the plan").is_some(),
        "the window says the plan it opened"
    );
    assert!(harness.query_all_by_label_contains("Ana Lima").next().is_some(), "and shows whose plan it is");
}
