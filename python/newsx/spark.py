"""Running newsx on Apache Spark: WARC files in, records out as JSONL or Parquet.

    from pyspark.sql import SparkSession
    from newsx.spark import extract_warcs

    spark = SparkSession.builder.appName("newsx").getOrCreate()
    extract_warcs(spark, ["/data/CC-NEWS-20240101000000-00000.warc.gz", ...],
                  "/data/out/records", format="parquet")

Each WARC file is one Spark task (``mapPartitions`` over the list of paths).
A task takes its Pipeline from a cache in its Python worker process, so the
rules compile once per worker (Spark reuses its Python workers across tasks
unless ``spark.python.worker.reuse`` is off), not once per file or article.
Each record is the JSON line ``newsx extract PATH`` writes for that file,
unchanged: JSONL output is exactly the command line's output, split into
one part file per task, in the order of the paths. (One difference: the
command line warns of an id seen twice anywhere in its run, a task only
within its own file.)

The paths are read by the executors: they must be on a filesystem every
executor sees (local disk in local mode, a shared or mounted volume on a
cluster). The executors need the newsx package installed, like any Python
dependency of a Spark job.

Not done here: fetching from object stores (download the WARC files first,
or mount the bucket), and choosing a Spark schema for Parquet up front (it is
inferred from the records unless ``schema`` is given).
"""

import functools

_PIPELINES = {}


def _pipeline(rules=None, budget=60.0):
    """This worker process's Pipeline for these settings, compiled on first use."""
    key = (None if rules is None else str(rules), float(budget))
    if key not in _PIPELINES:
        from . import Pipeline

        _PIPELINES[key] = Pipeline(rules=rules, budget=budget)
    return _PIPELINES[key]


def record_lines(paths, rules=None, budget=60.0, threads=1):
    """The records of the files in ``paths`` as JSON lines, in order: the
    ``mapPartitions`` function. ``threads`` worker threads per task (Spark
    already runs one task per core, hence 1)."""
    pipeline = _pipeline(rules, budget)
    return pipeline._native.extract_files_json([str(p) for p in paths], threads)


def record_lines_rdd(spark, paths, *, rules=None, budget=60.0, threads=1):
    """An RDD of JSON lines, one per article of the WARC (or any input)
    files in ``paths``, one partition per file."""
    paths = [str(p) for p in paths]
    if not paths:
        raise ValueError("no input paths")
    extract = functools.partial(record_lines, rules=rules, budget=budget, threads=threads)
    return spark.sparkContext.parallelize(paths, len(paths)).mapPartitions(extract)


def extract_warcs(spark, paths, output, *, format="jsonl", rules=None, budget=60.0,
                  threads=1, schema=None, mode="error"):
    """Runs newsx over ``paths`` and writes the records below ``output``:
    ``format="jsonl"`` as text part files (one per input file, each the
    lines ``newsx extract`` writes), ``"parquet"`` as a Parquet table with
    the records' nested fields as columns (schema inferred, or ``schema``).
    ``mode`` is Spark's save mode for Parquet ("error", "overwrite", ...).
    Returns the number of records."""
    from pyspark import StorageLevel

    if format not in ("jsonl", "parquet"):
        raise ValueError(f"format must be 'jsonl' or 'parquet', not {format!r}")
    # Kept (spilling to disk) so that writing and counting, and for Parquet
    # inferring the schema, do not extract twice.
    lines = record_lines_rdd(spark, paths, rules=rules, budget=budget, threads=threads)
    lines = lines.persist(StorageLevel.MEMORY_AND_DISK)
    if format == "jsonl":
        lines.saveAsTextFile(str(output))
        count = lines.count()
        lines.unpersist()
        return count
    reader = spark.read.schema(schema) if schema is not None else spark.read
    frame = reader.json(lines)
    frame.write.mode(mode).parquet(str(output))
    count = lines.count()
    lines.unpersist()
    return count
