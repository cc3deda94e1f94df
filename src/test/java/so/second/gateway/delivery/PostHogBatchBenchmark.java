package so.second.gateway.delivery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Microseconds one core spends on a full delivery batch's body for PostHog (1 000 stored
 * bench events, written and gzip'd by {@link PostHogClient#gzippedBody}) at the level
 * delivery uses ({@link PostHogClient#GZIP_LEVEL}, 1) and at deflate's default (6);
 * divide by 1 000 for the cost per event. It also prints each level's compressed size.
 * Not a test: its name matches no surefire include. Run it as {@code docs/benchmarks.md}
 * says.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PostHogBatchBenchmark {

	@Param({ "1", "6" })
	public int level;

	private List<ClaimedEvent> batch;

	private final byte[] start = "{\"api_key\":\"phc_bench\",\"historical_migration\":false,\"batch\":["
		.getBytes(StandardCharsets.UTF_8);

	@Setup
	public void setUp() {
		EventJson json = new EventJson();
		this.batch = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			UUID uuid = UUID.randomUUID();
			this.batch.add(new ClaimedEvent(1, i, uuid, json.write(EventJsonBenchmark.buildCompleted(uuid)), 0));
		}
		System.out.printf("%nbatch of %d events (%d characters), gzip level %d: %d bytes%n", this.batch.size(),
				this.batch.stream().mapToInt((event) -> event.payload().length()).sum(), this.level,
				gzippedBody().length);
	}

	@Benchmark
	public byte[] gzippedBody() {
		return PostHogClient.gzippedBody(this.start, this.batch, this.level);
	}

	/**
	 * Runs this class through JMH.
	 * @param args JMH options; without any, this class with its defaults
	 * @throws Exception when JMH fails
	 */
	public static void main(String[] args) throws Exception {
		org.openjdk.jmh.Main
			.main((args.length > 0) ? args : new String[] { PostHogBatchBenchmark.class.getSimpleName() });
	}

}
