//! A small RFC 4180 CSV reader for the control catalogues (quoted fields, doubled quotes,
//! CRLF or LF line ends, a UTF-8 byte-order mark). Internal: the catalogues are read through
//! [`Catalog`](super::Catalog).

/// Parses CSV text into `(line number, fields)` rows, skipping blank lines. The line number is
/// 1-based and names the line the row starts on. An unterminated quoted field is an error
/// naming its line.
pub(crate) fn parse(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1usize;
    let mut row_line = 1usize;
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                if !(fields.len() == 1 && fields[0].trim().is_empty()) {
                    rows.push((row_line, std::mem::take(&mut fields)));
                }
                fields.clear();
                line += 1;
                row_line = line;
                at_field_start = true;
            }
            _ => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if quoted {
        return Err(format!("line {row_line}: unterminated quoted field"));
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        if !(fields.len() == 1 && fields[0].trim().is_empty()) {
            rows.push((row_line, fields));
        }
    }
    Ok(rows)
}

#[cfg(test)]
#[path = "tests/csv.rs"]
mod tests;
