package io.tern.stream;

import io.tern.common.bus.RouterLink;
import java.util.List;

/**
 * Where a {@link StreamService} sends the JetStream API requests it takes when several stream
 * services share a cluster ({@link StreamCluster}), and whom it tells about streams it creates,
 * changes or deletes.
 */
interface ApiFront {

  /** The queue group every stream service subscribes {@code $JS.API.>} in, so one process takes each request. */
  String API_QUEUE = "tern.jetstream";

  /** This stream service's node id (shown as the streams' cluster leader). */
  String nodeId();

  /** A request {@code service} took from the routers. */
  void onApi(StreamService service, RouterLink.Message request);

  /** Stream {@code name} of {@code account} now lives here, capturing {@code subjects}. */
  void placed(String account, String name, List<String> subjects);

  /** Stream {@code name} of {@code account}, which lived here, was deleted. */
  void removed(String account, String name);
}
