//! The session screen: the header and the client's goals above; the body map
//! filling the middle; beside it the session's status, the safety warnings, the
//! editor of the selected regions, the order of work, and the aftercare.

pub mod aftercare;
pub mod completion;
pub mod consent_tab;
pub mod plan_files;
pub mod plan_list;
pub mod region_editor;
pub mod screening;
pub mod versions;
pub mod warnings_view;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use crate::model::lifecycle::{self, Circumstances};
use crate::model::{
    Client, Minutes, Outcome, PracticeSettings, RegionId, Screening, Session, SessionId, SessionRecord,
    SessionStatus, Transition,
};
use crate::safety::SafetyReport;
use crate::workspace::Edit;

use crate::ui::app::command::Command;
use crate::ui::map::MapView;
use crate::ui::session::aftercare::aftercare_editor;
use crate::ui::session::completion::{CompletionPanel, PanelAsk, Standing};
use crate::ui::session::plan_list::plan_list;
use crate::ui::session::region_editor::{PressureCap, RegionAdvice, offered_techniques, region_editor};
use crate::ui::session::screening::{ScreeningAction, new_screening, screening_form};
use crate::ui::session::warnings_view::WarningsView;
use crate::ui::widgets::date_field::date_time_field;

/// What the session screen needs to know besides the session itself.
pub struct SessionContext<'a> {
    pub settings: &'a PracticeSettings,
    /// The clinic's own safety rules: its flags are asked in the screening.
    pub clinic_rules: &'a crate::model::ClinicRules,
    pub client: &'a Client,
    pub report: &'a SafetyReport,
    /// The gate's verdict on the session, worked out once per change.
    pub gate: &'a Result<(), crate::model::GateRefusal>,
    /// The regions with a warning no reason explains yet, once per change.
    pub warned: &'a BTreeSet<RegionId>,
    /// What the client's last session recorded of each region, in words ("last:
    /// tension 2, pain 6 (26 Nov)"), shown beside the region today.
    pub last_time: &'a BTreeMap<RegionId, String>,
    /// Why the session's file must not be written, if it must not.
    pub read_only: Option<&'a str>,
    pub now: DateTime,
    /// Whether to ask today's screening: for a client's session, not for a plan file.
    pub ask_screening: bool,
    /// The client's other sessions at the same time as this one (start, length): said beside the start.
    pub overlaps: &'a [(DateTime, Minutes)],
    /// The record as it was when its amendment began, while this session is amended.
    pub amending: Option<&'a SessionRecord>,
    /// Whether another session of the client is being amended.
    pub amending_elsewhere: bool,
}

/// The state of the session screen's parts; the map's view settings persist.
#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionScreen {
    pub map: MapView,
    #[serde(skip)]
    warnings: WarningsView,
    #[serde(skip)]
    completion: CompletionPanel,
    /// Today's screening being answered, for the session it belongs to.
    #[serde(skip)]
    screening: Option<(SessionId, Screening)>,
    /// Sessions whose screening the therapist chose to skip for now.
    #[serde(skip)]
    screening_skipped: BTreeSet<SessionId>,
    /// Which part of the side panel is shown.
    tab: SideTab,
    #[serde(skip)]
    consent: consent_tab::ConsentTab,
}

impl SessionScreen {
    /// Shows `session` and returns what the user asked for: the plan's edits
    /// (made on a copy for this frame, of which only the plan's content is
    /// asked for), the screening answered, a change of status, and commands for
    /// what lies beyond the session. The screen changes nothing itself.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session, context: &SessionContext<'_>) -> Vec<Command> {
        let mut working = session.clone();
        let mut commands = Vec::new();
        if let Some(why) = context.read_only {
            ui.colored_label(ui.visuals().warn_fg_color, format!("Read-only: {why}"));
        }
        let amending = context.amending.is_some();
        let editable = context.read_only.is_none() && (!session.is_locked() || amending);
        // The header is not part of the clinical record an amendment keeps, so a
        // completed session's start, length and therapist stay as recorded.
        let header_editable = context.read_only.is_none() && !session.is_locked();
        ui.add_enabled_ui(header_editable, |ui| header(ui, &mut working, context));

        ui.add_space(4.0);
        ui.label(egui::RichText::new("Goals, in the client's own words").strong());
        let id = ui.make_persistent_id("session_goals");
        ui.add_enabled_ui(editable, |ui| {
            crate::ui::widgets::seen_text::field(ui, &mut working.goals, id, true, |edit| {
                edit.char_limit(crate::model::MAX_TEXT_CHARS)
                    .hint_text("What does the client want from today?")
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
            })
            .accessible_name("Goals")
        });
        if working.goals.chars().count() >= crate::model::MAX_TEXT_CHARS {
            ui.weak(format!(
                "Goals are kept to {} characters; what went past that was not taken.",
                crate::model::MAX_TEXT_CHARS
            ));
        }
        ui.add_space(4.0);

        let warned = context.warned;
        if self.map.warned_regions() != warned {
            self.map.set_warned_regions(warned.clone());
        }
        if self.map.last_time() != context.last_time {
            self.map.set_last_time(context.last_time.clone());
        }

        let mut asked = Vec::new();
        let selection_before = self.map.selection().clone();
        egui::Panel::right("session_side").default_size(340.0).size_range(280.0..=520.0).show(ui, |ui| {
            asked = self.side_panel(ui, &mut working, context, editable, warned);
        });
        self.map.ui(ui, &mut working, !editable);
        // Choosing a region on the map brings its editor forward.
        if self.map.selection() != &selection_before && !self.map.selection().is_empty() {
            self.tab = SideTab::Region;
        }
        // The plan's edit first: what was asked next (complete, trash…) acts on the edited plan.
        // Only the plan's content is edited in the copy, so any difference is a plan edit
        // (compared in place: building two contents would copy the whole record every frame).
        if working != *session {
            commands.push(Command::Edit(Edit::plan_of(&working)));
        }
        commands.extend(asked);
        commands
    }

    /// What the lifecycle says of `session` now, for the Session tab.
    fn standing<'a>(
        session: &Session,
        context: &'a SessionContext<'_>,
        gate: &'a Result<(), crate::model::GateRefusal>,
    ) -> Standing<'a> {
        let at = Circumstances {
            now: context.now,
            who: "",
            client: context.client,
            clinic_rules: context.clinic_rules,
            previous: None,
            gate: gate.clone(),
        };
        let empty = Outcome { pain_before: None, pain_after: None, response: None, notes: String::new() };
        Standing {
            gate,
            ready: lifecycle::may(session, &Transition::MarkReady, &at),
            complete: lifecycle::may(session, &Transition::Complete(empty), &at),
            amending: context.amending,
            amending_elsewhere: context.amending_elsewhere,
            now: context.now,
            read_only: context.read_only.is_some(),
        }
    }

    fn side_panel(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        context: &SessionContext<'_>,
        editable: bool,
        warned: &BTreeSet<RegionId>,
    ) -> Vec<Command> {
        // Today's screening stands at the foot of the panel: answering it lets the
        // tab's content grow down, and moves none of the tabs or buttons above it.
        let mut commands: Vec<Command> = Vec::new();
        if self.needs_screening(session, context, editable) {
            // Half the panel: room for its questions, and the tab's content above stays usable.
            let room = ui.available_height() * 0.5;
            egui::Panel::bottom(("screening", &session.id)).resizable(false).exact_size(room).show(
                ui,
                |ui| {
                    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                        commands.extend(self.screening_ui(ui, session, context, editable));
                    });
                },
            );
        }
        let standing = Self::standing(session, context, context.gate);
        let mut ask = None;
        // An amendment stays in sight on every tab: each edit made meanwhile is part of it.
        if context.amending.is_some() {
            ask = self.completion.amendment_form(ui, session, &standing);
            ui.separator();
        }

        let to_look_at = context.report.unexplained().count();
        // Ctrl+1 to Ctrl+5 reach the tabs from anywhere, instead of dozens of Tabs.
        const TAB_KEYS: [egui::Key; 5] =
            [egui::Key::Num1, egui::Key::Num2, egui::Key::Num3, egui::Key::Num4, egui::Key::Num5];
        for (tab, key) in SideTab::ALL.into_iter().zip(TAB_KEYS) {
            if ui.input_mut(|input| input.consume_key(egui::Modifiers::COMMAND, key)) {
                self.tab = tab;
            }
        }
        ui.horizontal_wrapped(|ui| {
            crate::ui::widgets::said::tab_list(ui, "Session");
            for (number, tab) in (1..).zip(SideTab::ALL) {
                let title = match (tab, to_look_at) {
                    (SideTab::Safety, 0) => tab.title().to_owned(),
                    (SideTab::Safety, count) => format!("{} ({count})", tab.title()),
                    _ => tab.title().to_owned(),
                };
                let text = egui::RichText::new(title);
                let text = if tab == SideTab::Safety && to_look_at > 0 {
                    text.color(ui.visuals().warn_fg_color)
                } else {
                    text
                };
                let button = ui
                    .selectable_label(self.tab == tab, text)
                    .accessible_name(tab.title())
                    .on_hover_text(format!("Ctrl+{number}"));
                let adds =
                    (tab == SideTab::Safety && to_look_at > 0).then(|| format!("{} to look at", to_look_at));
                crate::ui::widgets::said::tab(&button, self.tab == tab, adds.as_deref());
                if button.clicked() {
                    self.tab = tab;
                }
            }
        });
        ui.separator();

        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| match self.tab {
            SideTab::Region => {
                let advice = RegionAdvice {
                    caps: pressure_caps(context.report),
                    caution_notes: context.report.caution_notes.clone(),
                    last_time: context.last_time.clone(),
                };
                let techniques = offered_techniques(context.settings);
                let selection = self.map.selection().clone();
                region_editor(ui, session, &selection, &techniques, &advice, !editable);
            }
            SideTab::Plan => {
                let selection = self.map.selection().clone();
                let plan = plan_list(ui, session, &selection, warned, !editable);
                if let Some(region) = plan.clicked_region {
                    self.map.select([region]);
                }
                ui.separator();
                ui.label(egui::RichText::new("Aftercare and next visit").strong());
                aftercare_editor(ui, session, context.settings, !editable);
            }
            SideTab::Safety => {
                self.warnings.ui(ui, context.report, session, context.now, !editable);
            }
            SideTab::Consent => {
                commands.extend(self.consent.ui(ui, session, context, editable));
            }
            SideTab::Session => {
                if let Some(asked) = self.completion.ui(ui, session, &standing) {
                    ask = Some(asked);
                }
                ui.add_space(12.0);
                commands.extend(Command::ShowRecordHistory(session.id.clone()).button(ui));
                // A record (completed or cancelled) is never trashed: it is marked entered in error above.
                if !session.status.is_record() {
                    ui.add_space(12.0);
                    let trash = ui
                        .add_enabled_ui(context.read_only.is_none(), |ui| {
                            Command::TrashSession(session.id.clone()).button(ui)
                        })
                        .inner;
                    commands.extend(trash);
                }
            }
        });
        match ask {
            Some(PanelAsk::Edit(edit)) => {
                if matches!(edit, Edit::StartAmending(_)) {
                    self.map.clear_selection();
                }
                commands.push(Command::Edit(edit));
            }
            Some(PanelAsk::AnswerScreening) => {
                self.screening_skipped.remove(&session.id);
            }
            None => {}
        }
        commands
    }

    /// Whether today's screening is to be asked: on the session's day, while it
    /// is planned, until answered (again when a question was added since, a flag
    /// ticked on the profile) or skipped.
    fn needs_screening(&self, session: &Session, context: &SessionContext<'_>, editable: bool) -> bool {
        let answered = lifecycle::screening_of_its_day(session).is_some_and(|screening| {
            lifecycle::screening_answered(screening, context.client, context.clinic_rules)
        });
        context.ask_screening
            && editable
            && session.status == SessionStatus::Planned
            && context.now.date() >= session.starts_at.date()
            && !answered
            && !self.screening_skipped.contains(&session.id)
    }

    /// Today's screening, at the foot of a session's panel on its day until answered or
    /// skipped. A screening answered on an earlier day (planning ahead, or
    /// before a postponement) is not that day's, so it is asked again.
    fn screening_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        context: &SessionContext<'_>,
        editable: bool,
    ) -> Option<Command> {
        if !self.needs_screening(session, context, editable) {
            return None;
        }
        let todays = lifecycle::screening_of_its_day(session);
        if self.screening.as_ref().is_none_or(|(id, _)| id != &session.id) {
            // What was answered today is kept: only the new questions are left.
            let screening = todays.cloned().unwrap_or_else(|| new_screening(context.client, context.now));
            self.screening = Some((session.id.clone(), screening));
        }
        let action = match &mut self.screening {
            Some((_, screening)) => {
                egui::Frame::group(ui.style())
                    .show(ui, |ui| screening_form(ui, context.client, context.clinic_rules, screening))
                    .inner
            }
            None => ScreeningAction::None,
        };
        ui.separator();
        match action {
            ScreeningAction::Done => {
                let (_, screening) = self.screening.take()?;
                Some(Command::Edit(Edit::Screening { session: session.id.clone(), screening }))
            }
            ScreeningAction::Skip => {
                self.screening_skipped.insert(session.id.clone());
                self.screening = None;
                None
            }
            ScreeningAction::None => None,
        }
    }
}

/// The parts of the side panel beside the map, one shown at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
enum SideTab {
    /// The editor of the selected regions.
    #[default]
    Region,
    /// The order of work, the timing, the aftercare and the next visit.
    Plan,
    /// The safety warnings, with their overrides.
    Safety,
    /// Status, outcome and amendments.
    Session,
    /// The client's consent: given, what it covers, recording it.
    Consent,
}

impl SideTab {
    const ALL: [SideTab; 5] =
        [SideTab::Region, SideTab::Plan, SideTab::Safety, SideTab::Session, SideTab::Consent];

    fn title(self) -> &'static str {
        match self {
            SideTab::Region => "Region",
            SideTab::Plan => "Plan",
            SideTab::Safety => "Safety",
            SideTab::Session => "Session",
            SideTab::Consent => "Consent",
        }
    }
}

/// The cap on each region, with its reasons in a few words, for the pressure control.
fn pressure_caps(report: &SafetyReport) -> BTreeMap<RegionId, PressureCap> {
    report
        .caps
        .iter()
        .map(|(&region, cap)| {
            let why: Vec<&str> = cap.because.iter().map(|reason| reason.short.as_str()).collect();
            (region, PressureCap { max: cap.max, why: why.join("; ") })
        })
        .collect()
}

fn header(ui: &mut egui::Ui, session: &mut Session, context: &SessionContext<'_>) {
    let settings = context.settings;
    ui.horizontal_wrapped(|ui| {
        // The session's own: what was typed for one session never shows for another.
        ui.push_id(&session.id, |ui| {
            let label = ui.label("Starts");
            date_time_field(ui, label.id, "Starts", &mut session.starts_at);
        });
        let label = ui.label("Length");
        let mut minutes = session.minutes.get();
        let length = ui.add(
            egui::DragValue::new(&mut minutes).range(1..=600).clamp_existing_to_range(false).suffix(" min"),
        );
        let length = length.labelled_by(label.id);
        if length.changed()
            && let Ok(minutes) = Minutes::new(i64::from(minutes))
        {
            session.minutes = minutes;
        }
        let label = ui.label("Therapist");
        let shown = if session.therapist.is_empty() { "–".to_owned() } else { session.therapist.clone() };
        let therapist = egui::ComboBox::from_id_salt("therapist")
            .selected_text(shown.as_str())
            .show_ui(ui, |ui| {
                for therapist in &settings.therapists {
                    ui.selectable_value(&mut session.therapist, therapist.clone(), therapist);
                }
            })
            .response
            .labelled_by(label.id);
        crate::ui::widgets::said::chosen(&therapist, &shown);
        // At the row's end, so that the controls below stay where they are.
        if let Some(words) = overlap_words(session, context.overlaps) {
            ui.colored_label(ui.visuals().warn_fg_color, words);
        }
    });
}

/// "⚠ Overlaps the session at 10:00 (60 min)": this client is booked twice.
fn overlap_words(session: &Session, overlaps: &[(DateTime, Minutes)]) -> Option<String> {
    let times: Vec<String> = overlaps
        .iter()
        .map(|(start, minutes)| {
            let day = if start.date() == session.starts_at.date() {
                String::new()
            } else {
                start.strftime("%-d %b ").to_string()
            };
            format!("{day}{} ({} min)", start.strftime("%H:%M"), minutes.get())
        })
        .collect();
    match times.as_slice() {
        [] => None,
        [one] => Some(format!("⚠ Overlaps the client's other session at {one}")),
        many => Some(format!("⚠ Overlaps the client's other sessions at {}", many.join(", "))),
    }
}
