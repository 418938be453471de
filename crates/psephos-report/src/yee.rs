//! Yee diagrams as pictures: one panel per rule, side by side, each pixel in
//! its winner's colour and each candidate a ringed dot in their colour. SVG
//! (with the rules' names and a legend) or PNG (the panels only, in the
//! order of `--rule`, separated by white gaps).

use std::fmt::Write;

use psephos_study::yee::{YeeOptions, WINDOW};

/// Twenty distinct colours: Kelly's colours of maximum contrast without
/// white and black (K. L. Kelly, "Twenty-two colors of maximum contrast",
/// *Color Engineering* 3 (1965)).
pub const PALETTE: [[u8; 3]; 20] = [
    [0xF3, 0xC3, 0x00],
    [0x87, 0x56, 0x92],
    [0xF3, 0x84, 0x00],
    [0xA1, 0xCA, 0xF1],
    [0xBE, 0x00, 0x32],
    [0xC2, 0xB2, 0x80],
    [0x84, 0x84, 0x82],
    [0x00, 0x88, 0x56],
    [0xE6, 0x8F, 0xAC],
    [0x00, 0x67, 0xA5],
    [0xF9, 0x93, 0x79],
    [0x60, 0x4E, 0x97],
    [0xF6, 0xA6, 0x00],
    [0xB3, 0x44, 0x6C],
    [0xDC, 0xD3, 0x00],
    [0x88, 0x2D, 0x17],
    [0x8D, 0xB6, 0x00],
    [0x65, 0x45, 0x22],
    [0xE2, 0x58, 0x22],
    [0x2B, 0x3D, 0x26],
];

const GAP: usize = 10;

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// A candidate's position in panel pixels.
fn at(o: &YeeOptions, (x, y): (f64, f64)) -> (f64, f64) {
    let scale = o.size as f64 / WINDOW;
    (x * scale, (WINDOW - y) * scale)
}

/// The SVG picture.
pub fn svg(o: &YeeOptions, maps: &[Vec<u16>]) -> String {
    let n = o.size;
    let (top, legend) = (40usize, 24usize);
    let width = maps.len() * (n + GAP) + GAP;
    let height = top + n + GAP + legend;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12" shape-rendering="crispEdges">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    for (p, (map, rule)) in maps.iter().zip(&o.rules).enumerate() {
        let x0 = GAP + p * (n + GAP);
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" font-weight="bold">{rule}</text>"#,
            x0 + n / 2,
            top - 12
        );
        let _ = writeln!(s, r#"<g transform="translate({x0} {top})">"#);
        // One rectangle per run of equal pixels in a row.
        for row in 0..n {
            let mut start = 0;
            for col in 1..=n {
                if col == n || map[row * n + col] != map[row * n + start] {
                    let c = PALETTE[map[row * n + start] as usize % PALETTE.len()];
                    let _ = writeln!(
                        s,
                        r#"<rect x="{start}" y="{row}" width="{}" height="1" fill="{}"/>"#,
                        col - start,
                        hex(c)
                    );
                    start = col;
                }
            }
        }
        for (i, &c) in o.candidates.iter().enumerate() {
            let (x, y) = at(o, c);
            let _ = writeln!(
                s,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{}" stroke="black" stroke-width="1.5" shape-rendering="auto"><title>{}</title></circle>"#,
                hex(PALETTE[i % PALETTE.len()]),
                char::from(b'A' + i as u8)
            );
        }
        let _ = writeln!(s, "</g>");
    }
    let _ = writeln!(
        s,
        r##"<text x="{GAP}" y="{}" fill="#555">{} candidates; voters Gaussian around each pixel, σ = {} of a {}-wide window, {} voters; sincere rankings by distance.</text>"##,
        top + n + GAP + 14,
        o.candidates.len(),
        o.sigma,
        WINDOW,
        o.voters
    );
    s.push_str("</svg>\n");
    s
}

/// The PNG picture's pixels (RGB), width and height.
pub fn raster(o: &YeeOptions, maps: &[Vec<u16>]) -> (Vec<u8>, usize, usize) {
    let n = o.size;
    let width = maps.len() * (n + GAP) + GAP;
    let height = n + 2 * GAP;
    let mut rgb = vec![255u8; width * height * 3];
    let mut put = |x: usize, y: usize, c: [u8; 3]| {
        if x < width && y < height {
            rgb[(y * width + x) * 3..(y * width + x) * 3 + 3].copy_from_slice(&c);
        }
    };
    for (p, map) in maps.iter().enumerate() {
        let x0 = GAP + p * (n + GAP);
        for row in 0..n {
            for col in 0..n {
                put(x0 + col, GAP + row, PALETTE[map[row * n + col] as usize % PALETTE.len()]);
            }
        }
        let r = (n as f64 / 50.0).max(2.0);
        for (i, &c) in o.candidates.iter().enumerate() {
            let (cx, cy) = at(o, c);
            let reach = (r + 2.0).ceil() as i64;
            for dy in -reach..=reach {
                for dx in -reach..=reach {
                    let d = ((dx * dx + dy * dy) as f64).sqrt();
                    let (x, y) = (cx as i64 + dx, cy as i64 + dy);
                    if x < 0 || y < 0 || x >= n as i64 || y >= n as i64 {
                        continue;
                    }
                    let colour = if d <= r {
                        PALETTE[i % PALETTE.len()]
                    } else if d <= r + 1.5 {
                        [0, 0, 0]
                    } else {
                        continue;
                    };
                    put(x0 + x as usize, GAP + y as usize, colour);
                }
            }
        }
    }
    (rgb, width, height)
}

/// The PNG file's bytes.
pub fn png(o: &YeeOptions, maps: &[Vec<u16>]) -> Result<Vec<u8>, png::EncodingError> {
    let (rgb, width, height) = raster(o, maps);
    let mut bytes = Vec::new();
    {
        let mut e = png::Encoder::new(&mut bytes, width as u32, height as u32);
        e.set_color(png::ColorType::Rgb);
        e.set_depth(png::BitDepth::Eight);
        let mut w = e.write_header()?;
        w.write_image_data(&rgb)?;
    }
    Ok(bytes)
}
