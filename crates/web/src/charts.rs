//! Server-rendered bar charts of core's statistics tables: the geometry of an SVG that the
//! template `chart.svg.html` draws (no script, no external file). Every chart has a title and
//! a description for assistive technology, each bar a tooltip with its number, and the page
//! shows the same numbers as a table next to it; a withheld count ("< 5") draws no bar but
//! its label.

use wegbereiter_core::Lang;
use wegbereiter_core::statistics::{Cell, ChartKind, StatTable};

/// Width of every chart's view box.
const WIDTH: i64 = 640;

/// One bar.
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
    /// Which series (colour).
    pub series: usize,
    /// Its tooltip: category, series and number.
    pub title: String,
}

/// A text on the chart.
pub struct Label {
    pub x: i64,
    pub y: i64,
    pub text: String,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
}

/// A grid line.
pub struct Line {
    pub x1: i64,
    pub y1: i64,
    pub x2: i64,
    pub y2: i64,
}

/// What the template draws.
pub struct ChartView {
    /// The base of the element ids (`chart-referrals`).
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: i64,
    pub height: i64,
    pub bars: Vec<Bar>,
    pub labels: Vec<Label>,
    pub grid: Vec<Line>,
    /// The series: colour index and name.
    pub legend: Vec<(usize, String)>,
}

/// A round upper end of the value axis at or above `max`: 1, 2 or 5 times a power of ten.
fn nice_ceiling(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|v| *v >= max)
        .unwrap_or(10.0 * power)
}

#[allow(clippy::cast_possible_truncation)] // coordinates of a 640-wide view box
fn px(x: f64) -> i64 {
    x.round() as i64
}

/// The chart of `table`, if it has one and something to draw.
#[must_use]
pub fn chart(table: &StatTable, lang: Lang) -> Option<ChartView> {
    let spec = table.chart.as_ref()?;
    let rows: Vec<_> = table.rows.iter().filter(|r| !r.total).collect();
    if rows.is_empty() || spec.series.is_empty() {
        return None;
    }
    let max = rows
        .iter()
        .flat_map(|r| spec.series.iter().filter_map(|c| r.cells.get(*c)?.number()))
        .fold(0.0, f64::max);
    let top = nice_ceiling(max);
    let legend = spec
        .series
        .iter()
        .enumerate()
        .map(|(i, c)| (i, table.columns.get(*c).cloned().unwrap_or_default()))
        .collect::<Vec<_>>();
    let mut view = ChartView {
        id: format!("chart-{}", table.key),
        title: table.title.clone(),
        desc: table.description.clone(),
        width: WIDTH,
        height: 0,
        bars: Vec::new(),
        labels: Vec::new(),
        grid: Vec::new(),
        legend,
    };
    // Whole numbers on the axis: steps of 1 up to 4, else a fifth of the round end.
    let steps: i32 = if top < 5.0 { px(top) as i32 } else { 5 };
    let ticks: Vec<f64> = (0..=steps)
        .map(|i| top * f64::from(i) / f64::from(steps))
        .collect();
    let tick_text = |v: f64| {
        Cell::Days {
            value: wegbereiter_core::statistics::Shown::Value(v),
        }
        .text(lang)
    };
    match spec.kind {
        ChartKind::Columns => {
            let (left, right, up, bottom, height) = (48.0, 8.0, 12.0, 40.0, 260.0);
            let plot_w = WIDTH as f64 - left - right;
            let plot_h = height - up - bottom;
            view.height = px(height);
            #[allow(clippy::cast_precision_loss)]
            let group = plot_w / rows.len() as f64;
            #[allow(clippy::cast_precision_loss)]
            let bar_w = (group * 0.8 / spec.series.len() as f64).max(1.0);
            let y_of = |v: f64| up + plot_h - v / top * plot_h;
            for v in &ticks {
                view.grid.push(Line {
                    x1: px(left),
                    y1: px(y_of(*v)),
                    x2: px(WIDTH as f64 - right),
                    y2: px(y_of(*v)),
                });
                view.labels.push(Label {
                    x: px(left - 6.0),
                    y: px(y_of(*v) + 4.0),
                    text: tick_text(*v),
                    anchor: "end",
                });
            }
            let every = rows.len().div_ceil(12);
            for (i, row) in rows.iter().enumerate() {
                #[allow(clippy::cast_precision_loss)]
                let x0 = left + group * i as f64 + group * 0.1;
                for (s, c) in spec.series.iter().enumerate() {
                    let Some(cell) = row.cells.get(*c) else {
                        continue;
                    };
                    #[allow(clippy::cast_precision_loss)]
                    let x = x0 + bar_w * s as f64;
                    let title = format!("{}, {}: {}", row.label, view.legend[s].1, cell.text(lang));
                    match cell.number() {
                        Some(v) => {
                            let y = y_of(v);
                            view.bars.push(Bar {
                                x: px(x),
                                y: px(y),
                                w: px(bar_w).max(1),
                                h: px(up + plot_h - y),
                                series: s,
                                title,
                            });
                        }
                        None if cell.is_suppressed() => view.labels.push(Label {
                            x: px(x + bar_w / 2.0),
                            y: px(up + plot_h - 3.0),
                            text: cell.text(lang).replace(' ', ""),
                            anchor: "middle",
                        }),
                        None => {}
                    }
                }
                if i % every == 0 {
                    view.labels.push(Label {
                        x: px(left + group * (i as f64 + 0.5)),
                        y: px(up + plot_h + 18.0),
                        text: row.label.clone(),
                        anchor: "middle",
                    });
                }
            }
        }
        ChartKind::Bars => {
            let (left, right, up, bottom) = (230.0, 48.0, 8.0, 24.0);
            let plot_w = WIDTH as f64 - left - right;
            #[allow(clippy::cast_precision_loss)]
            let row_h = 10.0 + 14.0 * spec.series.len() as f64;
            #[allow(clippy::cast_precision_loss)]
            let plot_h = row_h * rows.len() as f64;
            view.height = px(up + plot_h + bottom);
            let x_of = |v: f64| left + v / top * plot_w;
            for v in &ticks {
                view.grid.push(Line {
                    x1: px(x_of(*v)),
                    y1: px(up),
                    x2: px(x_of(*v)),
                    y2: px(up + plot_h),
                });
                view.labels.push(Label {
                    x: px(x_of(*v)),
                    y: px(up + plot_h + 16.0),
                    text: tick_text(*v),
                    anchor: "middle",
                });
            }
            for (i, row) in rows.iter().enumerate() {
                #[allow(clippy::cast_precision_loss)]
                let y0 = up + row_h * i as f64 + 5.0;
                view.labels.push(Label {
                    x: px(left - 8.0),
                    y: px(y0 + row_h / 2.0),
                    text: row.label.clone(),
                    anchor: "end",
                });
                for (s, c) in spec.series.iter().enumerate() {
                    let Some(cell) = row.cells.get(*c) else {
                        continue;
                    };
                    #[allow(clippy::cast_precision_loss)]
                    let y = y0 + 14.0 * s as f64;
                    let text = cell.text(lang);
                    let end = cell.number().map_or(left, x_of);
                    if let Some(v) = cell.number() {
                        view.bars.push(Bar {
                            x: px(left),
                            y: px(y),
                            w: px(x_of(v) - left),
                            h: 12,
                            series: s,
                            title: format!("{}, {}: {text}", row.label, view.legend[s].1),
                        });
                    }
                    view.labels.push(Label {
                        x: px(end + 4.0),
                        y: px(y + 10.0),
                        text,
                        anchor: "start",
                    });
                }
            }
        }
    }
    Some(view)
}

#[cfg(test)]
mod tests {
    use super::nice_ceiling;

    #[test]
    fn the_axis_ends_on_a_round_number_at_or_above_the_largest_bar() {
        assert!((nice_ceiling(0.0) - 1.0).abs() < 1e-9);
        assert!((nice_ceiling(7.0) - 10.0).abs() < 1e-9);
        assert!((nice_ceiling(12.0) - 20.0).abs() < 1e-9);
        assert!((nice_ceiling(50.0) - 50.0).abs() < 1e-9);
        assert!((nice_ceiling(51.0) - 100.0).abs() < 1e-9);
    }
}
