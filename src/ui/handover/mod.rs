//! The screens the client sees, and the lock: with the laptop handed over, the
//! window shows only this client's consent, in larger type, and a box to sign
//! in; nothing of other clients, the notes or the warnings. Getting the
//! therapist's view back needs the laptop's PIN, as does leaving the lock.

use jiff::civil::DateTime;

use crate::model::intake::{Answer, Intake, clinic_question, question};
use crate::model::{ClientId, ClinicFlag, HealthFlag, SessionId, Signature};
use crate::storage::pin::LaptopPin;
use crate::ui::widgets::seen_text;
use crate::ui::widgets::signature_pad::SignaturePad;

/// How large the client's text is, in points: read at arm's length.
const CLIENT_TEXT: f32 = 22.0;

/// Wrong PINs in a row before each further try waits.
const WRONG_BEFORE_WAITING: u32 = 5;
const WAIT_AFTER_WRONG_SECONDS: f64 = 30.0;

/// How wide the client's column is, at most.
const COLUMN: f32 = 760.0;

/// What stands between the window and whoever has the laptop now.
pub enum Guard {
    /// The client has the laptop, with one session's consent to read and sign.
    Consent {
        client: ClientId,
        session: SessionId,
        /// The name written under the signature (the client's, to start with).
        name: String,
        pad: SignaturePad,
        /// The client signed: the screen thanks them and waits for the therapist.
        signed: bool,
    },
    /// The client has the laptop, with the health questionnaire to answer.
    Questionnaire {
        client: ClientId,
        /// The clinic's own flags, asked after the built-in ones.
        clinic_flags: Vec<ClinicFlag>,
        answers: Intake,
        /// The client is done: the screen thanks them and waits for the therapist.
        done: bool,
    },
    /// Everything hidden until the PIN is typed.
    Locked,
}

/// The guard, with the PIN being typed to leave it.
pub struct GuardScreen {
    pub guard: Guard,
    pin: String,
    /// The last PIN typed was not this laptop's.
    wrong: bool,
    /// PINs typed wrong in a row; after a few, the next try waits.
    wrong_in_a_row: u32,
    /// When (egui's clock) the next try is taken, after too many wrong ones.
    wait_until: f64,
    /// The therapist asked for the laptop back: the PIN field is shown.
    giving_back: bool,
}

/// What the guard screen asks the app for.
#[derive(Debug, PartialEq)]
pub enum GuardAsk {
    /// The client signed the consent.
    Sign { client: ClientId, session: SessionId, signature: Signature },
    /// The client answered the questionnaire.
    Answered { client: ClientId, intake: Intake },
    /// The right PIN was typed: the therapist's view comes back.
    Unlock,
}

impl GuardScreen {
    pub fn new(guard: Guard) -> GuardScreen {
        let giving_back = matches!(guard, Guard::Locked);
        GuardScreen {
            guard,
            pin: String::new(),
            wrong: false,
            wrong_in_a_row: 0,
            wait_until: 0.0,
            giving_back,
        }
    }

    /// Fills the window; `text` is the consent the client reads (one paragraph
    /// a line), `pin` the laptop's PIN, `now` the local time.
    pub fn ui(&mut self, ui: &mut egui::Ui, text: &str, pin: &LaptopPin, now: DateTime) -> Option<GuardAsk> {
        let mut asked = None;
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                // One calm column in the middle of the window, as on a paper form.
                let column = COLUMN.min(ui.available_width());
                let margin = ((ui.available_width() - column) / 2.0).max(0.0);
                ui.horizontal_top(|ui| {
                    ui.add_space(margin);
                    ui.vertical(|ui| {
                        ui.set_width(column);
                        asked = self.column(ui, text, pin, now);
                    });
                });
            });
        });
        asked
    }

    fn column(&mut self, ui: &mut egui::Ui, text: &str, pin: &LaptopPin, now: DateTime) -> Option<GuardAsk> {
        let mut asked = None;
        let size = |points: f32| egui::FontId::proportional(points);
        {
            {
                match &mut self.guard {
                    Guard::Locked => {
                        ui.add_space(40.0);
                        ui.label(egui::RichText::new("Knotmap is locked").font(size(28.0)).strong());
                        ui.label(
                            egui::RichText::new("Type this laptop's PIN to go on.").font(size(CLIENT_TEXT)),
                        );
                    }
                    Guard::Questionnaire { client, clinic_flags, answers, done } => {
                        ui.add_space(12.0);
                        ui.label(
                            egui::RichText::new("A few questions about your health")
                                .font(size(28.0))
                                .strong(),
                        );
                        ui.label(
                            egui::RichText::new(
                                "They help your therapist keep today's massage safe. Answer what you can; \
                                 \"Not sure\" is a fine answer.",
                            )
                            .font(size(CLIENT_TEXT)),
                        );
                        ui.add_space(8.0);
                        if *done {
                            hand_it_back(ui);
                        } else {
                            for flag in HealthFlag::ALL {
                                let asked = answers.built_in.get(&flag).copied();
                                if let Some(answer) = answer_row(ui, question(flag), asked) {
                                    answers.built_in.insert(flag, answer);
                                }
                            }
                            for flag in clinic_flags.iter() {
                                let asked = answers.clinic.get(&flag.key).copied();
                                if let Some(answer) = answer_row(ui, &clinic_question(flag), asked) {
                                    answers.clinic.insert(flag.key.clone(), answer);
                                }
                            }
                            let label = ui.label(
                                egui::RichText::new("Anything else we should know?").font(size(CLIENT_TEXT)),
                            );
                            let id = ui.make_persistent_id("questionnaire_note");
                            let font = egui::FontSelection::FontId(size(CLIENT_TEXT));
                            seen_text::field_in_font(ui, &mut answers.note, id, true, font, |edit| {
                                edit.char_limit(crate::model::MAX_TEXT_CHARS)
                                    .desired_rows(2)
                                    .desired_width(f32::INFINITY)
                            })
                            .labelled_by(label.id);
                            let complete = answers.is_complete(clinic_flags);
                            let finish =
                                egui::Button::new(egui::RichText::new("Done").font(size(CLIENT_TEXT)));
                            if ui.add_enabled(complete, finish).clicked() {
                                answers.answered_at = now;
                                asked = Some(GuardAsk::Answered {
                                    client: client.clone(),
                                    intake: answers.clone(),
                                });
                                *done = true;
                            }
                            if !complete {
                                ui.label(
                                    egui::RichText::new("Every question needs an answer.").font(size(16.0)),
                                );
                            }
                        }
                    }
                    Guard::Consent { client, session, name, pad, signed } => {
                        ui.add_space(12.0);
                        ui.label(
                            egui::RichText::new("Your consent for today's session").font(size(28.0)).strong(),
                        );
                        ui.add_space(8.0);
                        for line in text.lines() {
                            ui.label(egui::RichText::new(line).font(size(CLIENT_TEXT)));
                            ui.add_space(6.0);
                        }
                        ui.add_space(8.0);
                        if *signed {
                            hand_it_back(ui);
                        } else {
                            ui.horizontal(|ui| {
                                let label =
                                    ui.label(egui::RichText::new("Your name").font(size(CLIENT_TEXT)));
                                let id = ui.make_persistent_id("signer_name");
                                let font = egui::FontSelection::FontId(size(CLIENT_TEXT));
                                seen_text::field_in_font(ui, name, id, false, font, |edit| {
                                    edit.desired_width(360.0)
                                })
                                .labelled_by(label.id);
                            });
                            ui.label(
                                egui::RichText::new("If you agree, sign below.").font(size(CLIENT_TEXT)),
                            );
                            let width = ui.available_width().min(720.0);
                            pad.ui(ui, "the client", width);
                            ui.horizontal(|ui| {
                                let agree = egui::Button::new(
                                    egui::RichText::new("I agree and sign").font(size(CLIENT_TEXT)),
                                );
                                if ui.add_enabled(pad.is_drawn() && !name.trim().is_empty(), agree).clicked()
                                {
                                    asked = Some(GuardAsk::Sign {
                                        client: client.clone(),
                                        session: session.clone(),
                                        signature: pad.signature(name, now),
                                    });
                                    *signed = true;
                                }
                                if ui.button(egui::RichText::new("Clear").font(size(CLIENT_TEXT))).clicked() {
                                    pad.clear();
                                }
                            });
                            ui.label(
                                egui::RichText::new(
                                    "If you do not agree, or have a question, hand the laptop back to your therapist.",
                                )
                                .font(size(CLIENT_TEXT)),
                            );
                        }
                    }
                }
                ui.add_space(24.0);
                ui.separator();
                if !self.giving_back {
                    if ui.button("For the therapist: take the laptop back…").clicked() {
                        self.giving_back = true;
                    }
                    return asked;
                }
                let now_time = ui.input(|input| input.time);
                let waiting = now_time < self.wait_until;
                if waiting {
                    ui.ctx().request_repaint_after(std::time::Duration::from_secs_f64(
                        self.wait_until - now_time,
                    ));
                }
                ui.horizontal(|ui| {
                    let label = ui.label("This laptop's PIN");
                    let field = ui
                        .add(egui::TextEdit::singleline(&mut self.pin).password(true).desired_width(140.0))
                        .labelled_by(label.id);
                    let entered = field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
                    let unlock = ui.add_enabled(!waiting, egui::Button::new("Unlock")).clicked();
                    if (unlock || entered) && !waiting {
                        if pin.matches(&self.pin) {
                            asked = Some(GuardAsk::Unlock);
                        } else {
                            self.wrong = true;
                            self.wrong_in_a_row += 1;
                            // Guessing is slowed down: after five wrong PINs, half a minute each.
                            if self.wrong_in_a_row >= WRONG_BEFORE_WAITING {
                                self.wait_until = now_time + WAIT_AFTER_WRONG_SECONDS;
                            }
                        }
                        self.pin.clear();
                    }
                });
                if waiting {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!("Too many wrong PINs: wait {:.0} s.", (self.wait_until - now_time).ceil()),
                    );
                } else if self.wrong {
                    ui.colored_label(ui.visuals().error_fg_color, "That is not this laptop's PIN.");
                }
            }
        }
        asked
    }
}

/// One question with its three answers, large enough for any finger; the
/// answer chosen, when one was chosen this frame.
fn answer_row(ui: &mut egui::Ui, question: &str, answered: Option<Answer>) -> Option<Answer> {
    let mut chosen = None;
    ui.label(egui::RichText::new(question).font(egui::FontId::proportional(CLIENT_TEXT)));
    ui.horizontal(|ui| {
        for answer in Answer::ALL {
            let text = egui::RichText::new(answer.word()).font(egui::FontId::proportional(CLIENT_TEXT));
            // Large, framed targets: an oily or shaky finger still lands on the right one.
            let button =
                egui::Button::selectable(answered == Some(answer), text).min_size(egui::vec2(120.0, 44.0));
            let button = ui.add(button).accessible_name(format!("{question} {}", answer.word()));
            if button.clicked() {
                chosen = Some(answer);
            }
        }
    });
    ui.add_space(6.0);
    chosen
}

/// What the client reads once done: the laptop goes back to the therapist.
fn hand_it_back(ui: &mut egui::Ui) {
    let words = "Thank you. Please hand the laptop back to your therapist.";
    ui.label(egui::RichText::new(words).font(egui::FontId::proportional(CLIENT_TEXT)).strong());
}
