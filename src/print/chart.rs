//! A line chart on paper: values over dates, one line per series, each with
//! its own colour, dash and point marker, so that it reads in grey too. A chart
//! is kept whole on one page.

use jiff::civil::Date;

use crate::legend::Rgba;

use super::layout::{Area, Flow, MUTED, Mark, RULE, Style};

/// One line of a chart.
pub struct Series {
    pub label: String,
    pub colour: Rgba,
    pub dash: Option<[f32; 2]>,
    /// Whether its points are squares (else discs).
    pub square: bool,
    pub points: Vec<(Date, f32)>,
}

/// The plot's height; the legend goes under it.
const PLOT_HEIGHT: f32 = 120.0;
/// Room left of the plot for the values.
const AXIS_ROOM: f32 = 26.0;

/// A chart titled `title` of `series` on a value scale `low..=high`, dates
/// along the bottom.
pub fn line_chart(flow: &mut Flow, title: &str, series: &[Series], low: f32, high: f32) {
    let small = Style::regular(7.5).in_colour(MUTED);
    let legend_rows = series.len().div_ceil(3) as f32;
    let height = Style::bold(10.0).line_height() + PLOT_HEIGHT + 16.0 + legend_rows * 11.0 + 6.0;
    flow.keep(height);
    flow.text_line(flow.left(), title, Style::bold(10.0));
    let plot = Area {
        x: flow.left() + AXIS_ROOM,
        y: flow.y + 4.0,
        width: flow.width() - AXIS_ROOM - 8.0,
        height: PLOT_HEIGHT,
    };
    let dates: Vec<Date> = series.iter().flat_map(|s| s.points.iter().map(|(date, _)| *date)).collect();
    let (Some(first), Some(last)) = (dates.iter().min().copied(), dates.iter().max().copied()) else {
        flow.text_line(flow.left(), "Nothing was recorded in this period.", small);
        return;
    };
    let span = first.until(last).map(|span| span.get_days()).unwrap_or(0).max(1) as f32;
    let x_of = |date: Date| {
        let days = first.until(date).map(|span| span.get_days()).unwrap_or(0) as f32;
        if first == last { plot.x + plot.width / 2.0 } else { plot.x + days / span * plot.width }
    };
    let y_of = |value: f32| {
        plot.bottom() - (value.clamp(low, high) - low) / (high - low).max(f32::EPSILON) * plot.height
    };

    // The value grid, with its numbers.
    let step = if high - low > 5.0 { 2.0 } else { 1.0 };
    let mut value = low;
    while value <= high + 0.01 {
        let y = y_of(value);
        flow.mark(Mark::Line {
            points: vec![[plot.x, y], [plot.right(), y]],
            width: 0.4,
            colour: RULE,
            dash: None,
        });
        let text = format!("{value:.0}");
        let width = flow.faces().width(&text, small.size, small.weight);
        flow.mark(Mark::text([plot.x - 4.0 - width, y + 2.5], text, small));
        value += step;
    }
    flow.mark(Mark::Line {
        points: vec![[plot.x, plot.y], [plot.x, plot.bottom()], [plot.right(), plot.bottom()]],
        width: 0.7,
        colour: MUTED,
        dash: None,
    });
    // The first and last dates under the axis, and the middle one if there is room.
    let mut ticks = vec![first, last];
    if let Some(middle) =
        first.checked_add(jiff::Span::new().days((span / 2.0) as i64)).ok().filter(|_| span > 20.0)
    {
        ticks.insert(1, middle);
    }
    ticks.dedup();
    for date in ticks {
        let text = date.strftime("%-d %b %Y").to_string();
        let width = flow.faces().width(&text, small.size, small.weight);
        let x = (x_of(date) - width / 2.0).clamp(plot.x, plot.right() - width);
        flow.mark(Mark::text([x, plot.bottom() + 10.0], text, small));
    }
    for line in series {
        let points: Vec<[f32; 2]> =
            line.points.iter().map(|&(date, value)| [x_of(date), y_of(value)]).collect();
        if points.len() > 1 {
            flow.mark(Mark::Line {
                points: points.clone(),
                width: 1.3,
                colour: line.colour,
                dash: line.dash,
            });
        }
        // Markers only where they stay apart; a long history is read from its line.
        if points.len() <= 60 {
            for [x, y] in points {
                marker(flow, [x, y], line);
            }
        }
    }
    flow.y = plot.bottom() + 16.0;
    // The legend: three to a row.
    let column = flow.width() / 3.0;
    for row in series.chunks(3) {
        for (index, line) in row.iter().enumerate() {
            let x = flow.left() + index as f32 * column;
            let y = flow.y + 4.0;
            flow.mark(Mark::Line {
                points: vec![[x, y], [x + 18.0, y]],
                width: 1.3,
                colour: line.colour,
                dash: line.dash,
            });
            marker(flow, [x + 9.0, y], line);
            flow.mark(Mark::text([x + 24.0, y + 3.0], line.label.clone(), Style::regular(8.0)));
        }
        flow.y += 11.0;
    }
    flow.space(6.0);
}

fn marker(flow: &mut Flow, [x, y]: [f32; 2], line: &Series) {
    if line.square {
        let area = Area { x: x - 2.2, y: y - 2.2, width: 4.4, height: 4.4 };
        flow.mark(Mark::Rect { area, fill: Some(line.colour), stroke: None });
    } else {
        flow.mark(Mark::Circle { centre: [x, y], radius: 2.4, fill: Some(line.colour), stroke: None });
    }
}
