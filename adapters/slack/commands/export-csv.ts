/**
 * `/oig export <command>`: the whole answer (every row, not a page) as a CSV file, made by src/commands and
 * uploaded to the asker with Slack's external upload (files.getUploadURLExternal → POST the bytes to the
 * upload URL → files.completeUploadExternal; files.upload is retired). Needs the files:write scope. The file is shared
 * in the channel the command was typed in (a DM with the bot when typed there).
 */
import type { webApi } from '@slack/bolt';
import type { CsvExport } from '../../../src/commands/csv.ts';
import { neutralLine } from '../render/mrkdwn.ts';

export interface ExportResult {
  ok: boolean;
  /** what to tell the asker */
  message: string;
  rows: number;
}

/** the upload URL is Slack's file host; a stalled upload must not hang the listener forever */
const UPLOAD_TIMEOUT_MS = 30_000;

const FIXES: Record<string, string> = {
  missing_scope: 'the Slack app needs the files:write scope (add it and reinstall the app)',
  not_in_channel: 'invite the bot to this channel, or run the export in a DM with it',
  channel_not_found: 'invite the bot to this channel, or run the export in a DM with it',
};

export async function uploadCsv(client: webApi.WebClient, file: CsvExport, channel: string, user: string): Promise<ExportResult> {
  const { csv, filename, title, rows, matched } = file;
  try {
    const up = await client.files.getUploadURLExternal({ filename, length: Buffer.byteLength(csv) });
    if (!up.upload_url || !up.file_id) throw new Error('Slack gave no upload URL');
    const res = await fetch(up.upload_url, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv; charset=utf-8' }, signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`the upload URL answered HTTP ${res.status}`);
    await client.files.completeUploadExternal({
      files: [{ id: up.file_id, title: `${title} (${rows} rows)` }],
      channel_id: channel,
      // a mrkdwn message: the mention is ours, the title may quote the words typed (neutralised)
      initial_comment: `<@${user}> ${neutralLine(title)}: ${rows} rows`,
    });
    return { ok: true, message: `Sent ${filename}: ${rows} rows (${matched} matched).`, rows };
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    const why = code ? (FIXES[code] ?? `Slack said ${code}`) : (err as Error).message;
    return { ok: false, message: `Could not send the CSV: ${why}.`, rows };
  }
}
