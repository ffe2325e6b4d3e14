// The admin's text format for seat layouts, one line per row:
//
//   A standard sssss_sssss
//   B-F premium ssss_ssssss_ssss     (a range of single-letter rows with the same seats)
//   # comments and blank lines are ignored
//
// s is a seat for sale, _ an aisle or gap, x a seat that is never sold. It becomes the JSON
// layout the API takes: {rows: [{row: "A", category: "standard", seats: "sssss_sssss"}]}.

export const MAX_ROWS = 40;
export const MAX_COLUMNS = 60;

/** -> {layout: {rows}, problems: [{line, message}]} (layout is null when there are problems). */
export function parseLayoutText(text) {
  const rows = [];
  const problems = [];
  const seen = new Set();
  String(text).split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (!line) return;
    const at = i + 1;
    const parts = line.split(/\s+/);
    if (parts.length !== 3) {
      problems.push({ line: at, message: `line ${at}: write "ROW CATEGORY SEATS", e.g. "A standard sssss_sssss"` });
      return;
    }
    const [rowSpec, category, seatsRaw] = parts;
    const seats = seatsRaw.toLowerCase();
    let names = [];
    const range = /^([A-Za-z])-([A-Za-z])$/.exec(rowSpec);
    if (range) {
      const from = range[1].toUpperCase().charCodeAt(0);
      const to = range[2].toUpperCase().charCodeAt(0);
      if (to < from) problems.push({ line: at, message: `line ${at}: the row range ${rowSpec} runs backwards` });
      for (let c = from; c <= to; c++) names.push(String.fromCharCode(c));
    } else if (/^[A-Za-z]{1,3}$/.test(rowSpec)) {
      names = [rowSpec.toUpperCase()];
    } else {
      problems.push({ line: at, message: `line ${at}: row "${rowSpec}" must be 1-3 letters (A, AA) or a range such as B-F` });
      return;
    }
    if (category.length > 30) problems.push({ line: at, message: `line ${at}: the category is longer than 30 characters` });
    if (!/^[s_x]+$/.test(seats)) {
      const bad = [...new Set(seats.replace(/[s_x]/g, ""))].join(" ");
      problems.push({ line: at, message: `line ${at}: seats may only use s (seat), _ (gap) and x (not for sale); found ${bad}` });
    } else if (!/[sx]/.test(seats)) {
      problems.push({ line: at, message: `line ${at}: the row has only gaps` });
    }
    if (seats.length > MAX_COLUMNS) problems.push({ line: at, message: `line ${at}: ${seats.length} columns; at most ${MAX_COLUMNS}` });
    for (const name of names) {
      if (seen.has(name)) problems.push({ line: at, message: `line ${at}: row ${name} appears more than once` });
      seen.add(name);
      rows.push({ row: name, category, seats });
    }
  });
  if (rows.length === 0 && problems.length === 0) problems.push({ line: null, message: "add at least one row, e.g. \"A standard sssss_sssss\"" });
  if (rows.length > MAX_ROWS) problems.push({ line: null, message: `${rows.length} rows; at most ${MAX_ROWS}` });
  if (rows.length && !rows.some((r) => r.seats.includes("s"))) problems.push({ line: null, message: "no seat is for sale: mark at least one seat with s" });
  return problems.length ? { layout: null, problems } : { layout: { rows }, problems };
}

/** The seats of a layout as the API numbers them (gaps skipped): [{id, row, number, column, category, forSale}]. */
export function expandLayout(layout) {
  const out = [];
  for (const { row, category, seats } of layout.rows) {
    let number = 0;
    for (let column = 0; column < seats.length; column++) {
      if (seats[column] === "_") continue;
      number++;
      out.push({ id: `${row}${number}`, row, number, column, category, forSale: seats[column] === "s" });
    }
  }
  return out;
}

export const layoutCategories = (layout) => [...new Set(layout.rows.map((r) => r.category))];
