"""The import/export file formats (docs/architecture.md §5): files <->
:class:`~graphsvc.dataset.Dataset`.

Pure: no database, no HTTP.  Import turns bytes into a validated dataset or a
complete list of problems (file, sheet, row, column; Dutch and English);
export turns a dataset into bytes.

Modules, top to bottom::

    parse        parse_upload / parse_tables / parse_xlsx / parse_json -> ParseResult
    reading      bytes -> raw tables (limits, header, JSON shape)
    csv_reading  CSV bytes -> raw tables (streaming, decoding, delimiter)
    xlsx_reading workbook bytes -> raw tables (zip, sheets)
    validation   raw tables -> Dataset or problems (rows, duplicates, references)
    writing      Dataset -> JSON, CSV, XLSX (the import format)
    graph_writing Dataset -> GraphML, GEXF (for Gephi, R, networkx, igraph)
    cells        single values both ways: keys, dates, weights, labels, escaping
    columns      the four tables and their columns
    row_problems Problem, the message catalogue, problems_as_json
"""

from graphsvc.transfer.fileformats.cells import KEY_MAX_LENGTH, PROEFTUIN_KEY_PATTERN
from graphsvc.transfer.fileformats.columns import SPECS, TABLES
from graphsvc.transfer.fileformats.graph_writing import (
    export_graph,
    tie_kinds,
    write_gexf,
    write_graphml,
)
from graphsvc.transfer.fileformats.parse import (
    DEFAULT_MAX_ROWS,
    KnownActor,
    Limits,
    ParseResult,
    parse_json,
    parse_tables,
    parse_upload,
    parse_xlsx,
)
from graphsvc.transfer.fileformats.row_problems import CODES, Problem, problems_as_json
from graphsvc.transfer.fileformats.writing import write_csv, write_json, write_xlsx

__all__ = [
    "CODES",
    "DEFAULT_MAX_ROWS",
    "KEY_MAX_LENGTH",
    "PROEFTUIN_KEY_PATTERN",
    "SPECS",
    "TABLES",
    "KnownActor",
    "Limits",
    "ParseResult",
    "Problem",
    "export_graph",
    "tie_kinds",
    "parse_json",
    "parse_tables",
    "parse_upload",
    "parse_xlsx",
    "problems_as_json",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_json",
    "write_xlsx",
]
