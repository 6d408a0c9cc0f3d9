// A dump someone sent, as one part of the Lab: opening it (read off the panel's main thread where
// the setup gives a worker) makes one watched connection per peer connection in it, with the same
// timeline, counters and findings as the inspected page's connections, judged by the same rules
// at the moment the dump was made.

import { type Job, jobOf } from "../core/job";
import { pageFindings } from "../page/page-findings";
import { endpointsOf } from "../page/page-pair-findings";
import { channelTotals, type PageConnection } from "../page/page-recording";
import { WatchedConnection } from "../watch/watched-connection";
import type { DumpContents, DumpedConnection, DumpSource } from "./internals-dump";

/** A file to open: its name (shown, never trusted) and its bytes. */
export interface DumpFile {
  name: string;
  bytes: Uint8Array;
}

/** A dump's connection: shaped as the page's, so the same tables, timeline and report read it; `key` is the dump's own name for it ("9-1"). */
type DumpConnection = PageConnection & { key: string };

export interface OpenedDump {
  /** The file's name, cut to 200 characters. */
  fileName: string;
  source: DumpSource;
  /** What was capped or could not be read. */
  notes: string[];
  untrackedConnections: number;
  connections: DumpConnection[];
}

export class DumpWatch {
  /** Reads a dump file into watched connections; rejects with a message naming what is wrong with it. */
  readonly job: Job<DumpFile, OpenedDump>;
  private current: OpenedDump | null = null;

  constructor(read: (bytes: Uint8Array) => Promise<DumpContents>) {
    this.job = jobOf("Opening a dump", async (file: DumpFile) => {
      const contents = await read(file.bytes);
      this.current = openedDump(String(file.name).slice(0, 200), contents);
      return this.current;
    });
  }

  /** The dump opened last; null before one was. */
  get opened(): OpenedDump | null {
    return this.current;
  }
}

/** Pure but for the watched connections it makes: each finished, its findings judged at the dump's end. */
export function openedDump(fileName: string, contents: DumpContents): OpenedDump {
  return {
    fileName,
    source: contents.source,
    notes: contents.notes,
    untrackedConnections: contents.untrackedConnections,
    connections: contents.connections.map((c, i) => watchedOf(c, i + 1, contents.endT)),
  };
}

function watchedOf(c: DumpedConnection, id: number, endT: number): DumpConnection {
  const watched = new WatchedConnection("dump", `Dump: connection ${id} (${c.key})`);
  watched.begin();
  for (const entry of c.entries) watched.insert(entry);
  watched.setTotals(channelTotals(c.channels));
  watched.setFindings(
    pageFindings({
      entries: watched.timeline.list(),
      channels: c.channels,
      closedLocally: c.closedLocally,
      nowT: endT,
      stats: c.stats,
      sampledChannels: true,
    }),
  );
  watched.finish();
  return {
    key: c.key,
    id,
    recorderId: id,
    frameUrl: c.url,
    watched,
    channels: c.channels,
    untrackedChannels: c.untrackedChannels,
    closedLocally: c.closedLocally,
    stats: c.stats,
    endpoints: endpointsOf(watched.timeline.list()),
  };
}
