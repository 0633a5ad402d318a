#!/usr/bin/python3
"""Differential-test oracle: Apache Avro's Python reader/writer compatibility checker.

Reads JSON lines on stdin, each {"reader": <schema text>, "writer": <schema text>}, and writes one JSON line per input:
{"compatible": true|false}, or {"error": "..."} when Python cannot parse a schema (or the checker raises).
One long-lived process serves a whole test run; output is flushed after every line.
"""
import json
import sys
import warnings

from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType
import avro.schema

# Ignored/unknown logical types only warn; keep stderr quiet and stdout pure JSON.
warnings.simplefilter("ignore")


def verdict(line):
    try:
        case = json.loads(line)
        reader_text, writer_text = case["reader"], case["writer"]
    except Exception as err:  # noqa: BLE001 - malformed request
        return {"error": f"bad request: {err}"}
    try:
        reader = avro.schema.parse(reader_text)
    except Exception as err:  # noqa: BLE001
        return {"error": f"reader does not parse: {type(err).__name__}: {err}"}
    try:
        writer = avro.schema.parse(writer_text)
    except Exception as err:  # noqa: BLE001
        return {"error": f"writer does not parse: {type(err).__name__}: {err}"}
    try:
        # A fresh checker per pair: its memo is keyed by node identity of these two parses.
        result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    except Exception as err:  # noqa: BLE001
        return {"error": f"checker raised: {type(err).__name__}: {err}"}
    return {"compatible": result.compatibility is SchemaCompatibilityType.compatible}


def main():
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        out.write(json.dumps(verdict(line)) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
