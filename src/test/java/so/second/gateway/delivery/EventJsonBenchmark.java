package so.second.gateway.delivery;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import so.second.gateway.pipeline.OutgoingEvent;

/**
 * Events per second one core writes as the JSON the backlog stores ({@link EventJson}),
 * which every accepted event pays on its request thread. The event is the bench's
 * {@code build completed} as the pipeline hands it on. Not a test: its name matches no
 * surefire include. Run it as {@code docs/benchmarks.md} says.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EventJsonBenchmark {

	private final EventJson json = new EventJson();

	private final OutgoingEvent event = buildCompleted(UUID.fromString("0190a5c2-7d3e-7b1a-9c4f-2f1e8d3b6a90"));

	/** The bench's event as the pipeline hands it on for an anonymized user. */
	static OutgoingEvent buildCompleted(UUID uuid) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("surface", "app_chat");
		properties.put("route_shape", "/w/:workspace/apps/:objectId/runs/:runId");
		properties.put("viewport_width", 1280);
		properties.put("viewport_height", 800);
		properties.put("message_count", 12);
		properties.put("tool_call_count", 7);
		properties.put("attachment_count", 1);
		properties.put("file_count", 3);
		properties.put("duration_ms", 48_211);
		properties.put("runtime_id", "claude-code");
		properties.put("model", "gpt-5");
		properties.put("failure_phase", "build");
		properties.put("error_code", "E_TIMEOUT");
		properties.put("$process_person_profile", false);
		properties.put("$geoip_disable", true);
		properties.put("release_version", null);
		properties.put("release_package", null);
		properties.put("release_runtime", null);
		properties.put("cli_launcher_version", null);
		properties.put("cli_launcher_package", null);
		properties.put("$lib", "second-analytics-gateway");
		properties.put("$lib_version", "0.1.0");
		return new OutgoingEvent(uuid, "build completed", "anon_6f1c2e34-5b7a-4c8d-9e0f-1a2b3c4d5e6f",
				Instant.parse("2026-01-01T12:00:00.123456789Z"), properties);
	}

	@Benchmark
	public String write() {
		return this.json.write(this.event);
	}

	/**
	 * Runs this class through JMH.
	 * @param args JMH options; without any, this class with its defaults
	 * @throws Exception when JMH fails
	 */
	public static void main(String[] args) throws Exception {
		org.openjdk.jmh.Main.main((args.length > 0) ? args : new String[] { EventJsonBenchmark.class.getSimpleName() });
	}

}
