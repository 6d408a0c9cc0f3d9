// A dump file as someone sent it, from bytes to what it says: gzip (as Chrome saves it by default)
// unpacked with the platform's own DecompressionStream, size capped before and while unpacking,
// then told apart (an rtcstats dump, or a webrtc-internals dump checked against its schema) and
// read. Runs the same in the panel's worker and in the command line.
import { LabError } from "../core/errors";
import { type DumpContents, type InternalsDump, readInternalsDump } from "./internals-dump";
import { RTCSTATS_MAGIC, readRtcStatsDump } from "./rtcstats-dump";

/** The largest dump read, unpacked: a long call's dump runs to tens of megabytes. */
export const MAX_DUMP_BYTES = 128 * 1024 * 1024;

/** Checks a parsed dump against internals-dump.schema.json (compiled at build time, or by Ajv in tests). */
export type DumpValidator = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null;
};

const MIB = 1024 * 1024;

export async function readDumpFile(bytes: Uint8Array, validate: DumpValidator): Promise<DumpContents> {
  if (bytes.length === 0) throw refused("The file is empty.");
  if (bytes.length > MAX_DUMP_BYTES) throw tooLarge();
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const plain = gzip ? await gunzip(bytes) : bytes;
  const text = new TextDecoder().decode(plain);
  if (text.startsWith(RTCSTATS_MAGIC)) {
    const { dump, notes } = readRtcStatsDump(text);
    const contents = readInternalsDump(dump, "rtcstats");
    return { ...contents, notes: [...notes, ...contents.notes] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw refused(
      `The file is neither JSON nor an rtcstats dump${gzip ? " (it was gzip-compressed)" : ""}: it is not a chrome://webrtc-internals dump.`,
    );
  }
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw refused(
      `The file is JSON but not a chrome://webrtc-internals dump (at ${cut(first?.instancePath) || "the top level"}: ${cut(first?.message) || "wrong shape"}).`,
    );
  }
  return readInternalsDump(data as InternalsDump);
}

/** Unpacks gzip, stopping as soon as the unpacked size passes the cap. */
async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_DUMP_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof LabError) throw error;
    throw refused("The file looks gzip-compressed but does not unpack: it may be cut short or damaged.");
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function tooLarge(): LabError {
  return refused(`The dump is larger than ${MAX_DUMP_BYTES / MIB} MB unpacked, the most this panel reads.`);
}

function refused(message: string): LabError {
  return new LabError("invalid-option", message);
}

/** A validator's words about someone else's file: short, and only what it says of the shape. */
function cut(text: string | undefined): string {
  return String(text ?? "").slice(0, 120);
}
