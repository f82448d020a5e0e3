//! A small iCalendar (RFC 5545) writer: lines end in CRLF, long lines are
//! folded at 75 octets (never inside a UTF-8 character), text values escape
//! `\`, `;`, `,` and newlines, every event has a UID and a DTSTAMP, and
//! times are written in UTC (`...Z`, see `zone`), which needs no VTIMEZONE.
//! The crate `icalendar` would add chrono and a dozen dependencies for
//! these few lines.

/// One meeting as an event. Times are UTC, `YYYYMMDDTHHMMSSZ`.
#[derive(Debug, Clone)]
pub struct Event {
    pub uid: String,
    pub stamp: String,
    pub start: String,
    pub end: String,
    pub summary: String,
    pub location: String,
    pub description: String,
}

/// Escapes a TEXT value (RFC 5545, 3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line into lines of at most 75 octets, each continuation
/// starting with a space (RFC 5545, 3.1), and ends it with CRLF.
pub fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// A whole calendar (`VCALENDAR`) named `name`, with its events.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//Redes//Reuniones de red//ES".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ] {
        fold(&line, &mut out);
    }
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", e.uid), &mut out);
        fold(&format!("DTSTAMP:{}", e.stamp), &mut out);
        fold(&format!("DTSTART:{}", e.start), &mut out);
        fold(&format!("DTEND:{}", e.end), &mut out);
        fold(&format!("SUMMARY:{}", escape(&e.summary)), &mut out);
        if !e.location.is_empty() {
            fold(&format!("LOCATION:{}", escape(&e.location)), &mut out);
        }
        if !e.description.is_empty() {
            fold(&format!("DESCRIPTION:{}", escape(&e.description)), &mut out);
        }
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

/// Reads a calendar back into its unfolded lines, `(name, value)` with
/// the value unescaped: for tests, of this writer and of the routes.
pub fn parse(text: &str) -> Vec<(String, String)> {
    let unfolded = text.replace("\r\n ", "");
    unfolded
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, value) = l.split_once(':').unwrap_or((l, ""));
            let mut out = String::new();
            let mut chars = value.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some('n') | Some('N') => out.push('\n'),
                        Some(other) => out.push(other),
                        None => {}
                    }
                } else {
                    out.push(c);
                }
            }
            (name.to_string(), out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_folded_at_75_octets_with_crlf_and_text_is_escaped() {
        let summary = "Sesión de la Red Liga Aprende; acuerdos, pauta \\ y más: ñandú ".repeat(4);
        let event = Event {
            uid: "reunion-1@redes".into(),
            stamp: "20260301T120000Z".into(),
            start: "20260303T120000Z".into(),
            end: "20260303T140000Z".into(),
            summary: summary.clone(),
            location: "Escuela Valparaíso, sala 2".into(),
            description: "Línea uno\nLínea dos".into(),
        };
        let text = calendar("Red, Liga", &[event]);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
            assert!(!line.contains('\n') && !line.contains('\r'));
        }
        assert!(!text.replace("\r\n", "").contains('\n'));
        let lines = parse(&text);
        let value = |name: &str| lines.iter().find(|(n, _)| n == name).unwrap().1.clone();
        assert_eq!(value("SUMMARY"), summary);
        assert_eq!(value("LOCATION"), "Escuela Valparaíso, sala 2");
        assert_eq!(value("DESCRIPTION"), "Línea uno\nLínea dos");
        assert_eq!(value("X-WR-CALNAME"), "Red, Liga");
        assert!(text.contains("SUMMARY:Sesión de la Red Liga Aprende\\; acuerdos\\, pauta \\\\ y"));
    }
}
