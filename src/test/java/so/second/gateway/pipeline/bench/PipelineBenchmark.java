package so.second.gateway.pipeline.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import so.second.gateway.pipeline.CapturePipeline;
import so.second.gateway.pipeline.EventOutcome;
import so.second.gateway.pipeline.ReleaseMetadata;
import so.second.gateway.pipeline.RequestContext;
import so.second.gateway.pipeline.TrackingPlan;

/**
 * Events per second one core turns through {@link CapturePipeline}, for a typical browser
 * event and for a worst case one (a body-limit-sized event at every sanitizer bound, full
 * of text the value rules must scan). Not a test: its name matches no surefire include.
 * Run it as {@code docs/benchmarks.md} says.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipelineBenchmark {

	private static final String ANONYMOUS_ID = "anon_0b5c2f7e-3a1d-4c8b-9e6f-1a2b3c4d5e6f";

	private CapturePipeline pipeline;

	private RequestContext anonymized;

	private RequestContext identified;

	private Map<String, Object> typical;

	private Map<String, Object> worstCase;

	@Setup
	public void setUp() {
		this.pipeline = new CapturePipeline(TrackingPlan.fromClasspath(),
				new ReleaseMetadata("1.4.0", "@second-inc/cli", "node22", "0.9.1", "@second-inc/launcher"), "0.1.0");
		Instant now = Instant.parse("2025-06-01T12:00:00Z");
		this.anonymized = new RequestContext("usr_8f3k2m9q", "jane.doe@example.com", "Jane Doe", true, null, now);
		this.identified = new RequestContext("usr_8f3k2m9q", "jane.doe@example.com", "Jane Doe", false, "203.0.113.9",
				now);
		this.typical = typicalEvent();
		this.worstCase = worstCaseEvent();
	}

	/** A build-failed event as the web app sends it: counts, outcome and page context. */
	static Map<String, Object> typicalEvent() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("message_count", 14);
		properties.put("tool_call_count", 37);
		properties.put("attachment_count", 1);
		properties.put("file_count", 9);
		properties.put("duration_ms", 48_213);
		properties.put("runtime_id", "node22");
		properties.put("model", "claude-sonnet-4-5");
		properties.put("failure_phase", "install");
		properties.put("error_code", "ENOSPC");
		properties.put("workspace_id", "w_4b1f9c");
		properties.put("surface", "app_chat");
		properties.put("route_shape", "/w/acme/apps/5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b/runs/812?tab=logs");
		properties.put("viewport_width", 1440);
		properties.put("viewport_height", 900);
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("event", "build failed");
		event.put("anonymousId", ANONYMOUS_ID);
		event.put("uuid", "0190a5c2-7d3e-7b1a-9c4f-2f1e8d3b6a90");
		event.put("timestamp", "2025-06-01T11:59:58.120Z");
		event.put("properties", properties);
		return event;
	}

	/**
	 * About 64 KiB of JSON, the default body limit: 100 top-level keys (the declared ones
	 * with long values, the rest undeclared), strings of up to 990 mixed-script
	 * characters with nothing the value rules can stop early on, nested objects past the
	 * depth bound and arrays past the length bound.
	 */
	static Map<String, Object> worstCaseEvent() {
		String text = ("Ünïcode façade 数据 текст مرحبا plain words no identifiers here ").repeat(20).substring(0, 990);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("message_count", 999_999);
		properties.put("runtime_id", "runtime-" + "x".repeat(50));
		properties.put("model", "provider/model-name-" + "y".repeat(70));
		properties.put("failure_phase", "phase_" + "z".repeat(30));
		properties.put("error_code", "E" + "Q".repeat(60));
		properties.put("surface", "s".repeat(64));
		properties.put("route_shape",
				"https://app.second.so/w/acme/apps/x/runs/1/" + "segment/".repeat(40) + "?q=" + "x".repeat(300));
		for (int i = 0; properties.size() < 100; i++) {
			Object value = switch (i % 4) {
				case 0 -> text;
				case 1 -> nested(4, text.substring(0, 80));
				case 2 -> list(text.substring(0, 10));
				default -> i * 1.5;
			};
			properties.put("undeclared_property_" + i, value);
		}
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("event", "app agent error");
		event.put("anonymousId", ANONYMOUS_ID);
		event.put("uuid", "0190a5c2-7d3e-7b1a-9c4f-2f1e8d3b6a90");
		event.put("timestamp", "2025-06-01T11:59:58.120Z");
		event.put("properties", properties);
		return event;
	}

	private static Object nested(int depth, String leaf) {
		if (depth == 0) {
			return leaf;
		}
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("inner", nested(depth - 1, leaf));
		map.put("value", leaf);
		return map;
	}

	private static List<Object> list(String element) {
		List<Object> list = new ArrayList<>();
		for (int i = 0; i < 55; i++) {
			list.add(element + i);
		}
		return list;
	}

	@Benchmark
	public EventOutcome typicalAnonymized() {
		return this.pipeline.process(this.typical, this.anonymized);
	}

	@Benchmark
	public EventOutcome typicalIdentified() {
		return this.pipeline.process(this.typical, this.identified);
	}

	@Benchmark
	public EventOutcome worstCaseAnonymized() {
		return this.pipeline.process(this.worstCase, this.anonymized);
	}

	@Benchmark
	public EventOutcome worstCaseIdentified() {
		return this.pipeline.process(this.worstCase, this.identified);
	}

	/**
	 * Runs the benchmarks of this class through JMH, or with {@code --cpu-time} measures
	 * the same four cases in thread CPU time, which stays meaningful on a machine that
	 * other work keeps busy (JMH measures wall-clock time).
	 * @param args JMH options, or {@code --cpu-time}; without any, every benchmark of
	 * this class with its defaults
	 * @throws Exception when JMH fails
	 */
	public static void main(String[] args) throws Exception {
		if (args.length == 1 && args[0].equals("--cpu-time")) {
			cpuTime();
			return;
		}
		org.openjdk.jmh.Main.main((args.length > 0) ? args : new String[] { PipelineBenchmark.class.getSimpleName() });
	}

	private static void cpuTime() {
		PipelineBenchmark benchmark = new PipelineBenchmark();
		benchmark.setUp();
		Map<String, Runnable> cases = new LinkedHashMap<>();
		cases.put("typicalAnonymized", benchmark::typicalAnonymized);
		cases.put("typicalIdentified", benchmark::typicalIdentified);
		cases.put("worstCaseAnonymized", benchmark::worstCaseAnonymized);
		cases.put("worstCaseIdentified", benchmark::worstCaseIdentified);
		java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
		for (int round = 1; round <= 4; round++) {
			boolean warmup = round <= 2;
			for (Map.Entry<String, Runnable> entry : cases.entrySet()) {
				long start = threads.getCurrentThreadCpuTime();
				long events = 0;
				while (threads.getCurrentThreadCpuTime() - start < 2_000_000_000L) {
					for (int i = 0; i < 50; i++) {
						entry.getValue().run();
					}
					events += 50;
				}
				long nanos = threads.getCurrentThreadCpuTime() - start;
				System.out.printf("%s %-20s %,10.0f events per CPU-second  (%.1f us per event)%n",
						warmup ? "warmup " : "measure", entry.getKey(), events * 1e9 / nanos, nanos / 1e3 / events);
			}
		}
	}

}
