//! umya-spreadsheet open-edit-save, for tests/bench/bench_batch.py.
//!
//!     risksheet-bench-umya fill SRC OUT SHEET FIRST_ROW N
//!         writes the ledger formulas of `risksheet fill` (N, Q–V) into rows FIRST_ROW.. of SHEET and
//!         the four input dropdowns, as tests/bench/bench_fill.py's openpyxl job does
//!     risksheet-bench-umya set SRC OUT SHEET CELL NUMBER
//!         sets one cell
use umya_spreadsheet::{reader, writer, DataValidation, DataValidationValues, DataValidations};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let usage = "usage: risksheet-bench-umya fill SRC OUT SHEET FIRST_ROW N | set SRC OUT SHEET CELL NUMBER";
    if a.len() != 7 {
        eprintln!("{usage}");
        std::process::exit(2);
    }
    let mut book = reader::xlsx::read(&a[2]).expect("read");
    let ws = book.sheet_by_name_mut(&a[4]).expect("sheet");
    match a[1].as_str() {
        "fill" => {
            let first: u32 = a[5].parse().unwrap();
            let n: u32 = a[6].parse().unwrap();
            for r in first..first + n {
                let f = [
                    ("N", format!("IF(OR(COUNT(K{r},L{r},M{r})<3,MIN(K{r},L{r},M{r})<0,MAX(K{r},L{r},M{r})>2),\"\",MAX(K{r},L{r},M{r}))")),
                    ("Q", format!("IF(G{r}=\"\",\"\",IFERROR(INDEX(集計!$B$4:$B$9,MATCH(G{r},集計!$A$4:$A$9,0)),\"\"))")),
                    ("R", format!("IF(G{r}=\"\",\"\",IFERROR(INDEX(集計!$D$4:$D$9,MATCH(G{r},集計!$A$4:$A$9,0)),\"\"))")),
                    ("S", format!("IF(OR(Q{r}=\"\",R{r}=\"\"),\"\",INDEX({{3,2,1;2,1,1;1,1,1}},Q{r}-0,R{r}-0))")),
                    ("T", format!("IF(S{r}=\"\",\"\",INDEX({{\"可能性:低\",\"可能性:中\",\"可能性:高\"}},S{r}-0))")),
                    ("U", format!("IF(OR(N{r}=\"\",S{r}=\"\"),\"\",N{r}*S{r})")),
                    ("V", format!("IF(U{r}=\"\",\"\",IF(U{r}>=4,\"リスク大\",IF(U{r}>=1,\"リスク中\",\"リスク小\")))")),
                ];
                for (col, formula) in f {
                    ws.cell_mut(format!("{col}{r}").as_str()).set_formula(formula);
                }
            }
            let mut dvs = ws.data_validations().cloned().unwrap_or_else(DataValidations::default);
            let last = first + n - 1;
            for (col, values) in [("G", "\"書類,可搬電子媒体,事務所PC,モバイル機器,社内サーバー,クラウド\""), ("K", "\"0,1,2\""), ("L", "\"0,1,2\""), ("M", "\"0,1,2\"")] {
                let mut dv = DataValidation::default();
                dv.set_type(DataValidationValues::List);
                dv.set_allow_blank(true);
                dv.set_formula1(values);
                dv.sequence_of_references_mut().set_sqref(format!("{col}{first}:{col}{last}"));
                dvs.add_data_validation_list(dv);
            }
            ws.set_data_validations(dvs);
        }
        "set" => {
            let v: f64 = a[6].parse().unwrap();
            ws.cell_mut(a[5].as_str()).set_value_number(v);
        }
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    }
    writer::xlsx::write(&book, &a[3]).expect("write");
}
