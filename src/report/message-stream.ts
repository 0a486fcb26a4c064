import type { Envelope, Pickle, Timestamp } from '@cucumber/messages';

/**
 * The messages of the scenarios that finished, and a testRunFinished saying why the run stopped: what an
 * interrupted run can still report completely. Test cases that had not finished are left out whole.
 */
export function finishedOnly(envelopes: readonly Envelope[], reason: string): Envelope[] {
  const finishedAttempts = new Set<string>();
  const finishedHooks = new Set<string>();
  for (const envelope of envelopes) {
    if (envelope.testCaseFinished) finishedAttempts.add(envelope.testCaseFinished.testCaseStartedId);
    if (envelope.testRunHookFinished) finishedHooks.add(envelope.testRunHookFinished.testRunHookStartedId);
  }
  const finishedTestCases = new Set<string>();
  for (const envelope of envelopes) {
    if (envelope.testCaseStarted && finishedAttempts.has(envelope.testCaseStarted.id)) finishedTestCases.add(envelope.testCaseStarted.testCaseId);
  }
  const kept = envelopes.filter((envelope) => {
    if (envelope.testCase) return finishedTestCases.has(envelope.testCase.id);
    if (envelope.testCaseStarted) return finishedAttempts.has(envelope.testCaseStarted.id);
    const attempt = envelope.testStepStarted?.testCaseStartedId ?? envelope.testStepFinished?.testCaseStartedId ?? envelope.attachment?.testCaseStartedId;
    if (attempt !== undefined) return finishedAttempts.has(attempt);
    if (envelope.testRunHookStarted) return finishedHooks.has(envelope.testRunHookStarted.id);
    return true;
  });
  if (!kept.some((envelope) => envelope.testRunFinished)) {
    const started = kept.find((envelope) => envelope.testRunStarted)?.testRunStarted;
    // The run ended when its last kept message was sent (no clock is read here: reports are views of the stream).
    kept.push({ testRunFinished: { testRunStartedId: started?.id, timestamp: latestTimestamp(kept) ?? { seconds: 0, nanos: 0 }, success: false, message: reason } });
  }
  return kept;
}

/** Shard folders could not be merged; the message says which and what to do. */
export class MergeError extends Error {
  override name = 'MergeError';
}

/**
 * One message stream from the streams of several shards of the same suite, as a serial run would have
 * written it: the first shard's sources, pickles and definitions, every shard's test cases in
 * feature-file order (ids of the other shards mapped onto the first's), one testRunStarted (the
 * earliest) and one testRunFinished (the latest; successful only if every shard was).
 */
export function mergeMessageStreams(streams: ReadonlyArray<{ label: string; envelopes: readonly Envelope[] }>): Envelope[] {
  if (streams.length === 0) throw new MergeError('Cannot merge reports: no folder was given. Merging needs the reports folder of each shard. Pass them as: handoff report merge reports/shard-1 reports/shard-2.');
  const [first] = streams;
  const staticEnvelopes: Envelope[] = [];
  const pickleByKey = new Map<string, Pickle>();
  const pickleOrder = new Map<string, number>();
  const definitionByKey = new Map<string, string>();
  const uris = new Set<string>();
  let runStartedId: string | undefined;
  let startedAt: Timestamp | undefined;
  let finishedAt: Timestamp | undefined;
  let success = true;
  const messages: string[] = [];
  const testCases: Array<{ order: number; envelope: Envelope }> = [];
  const attempts: Array<{ order: number; envelopes: Envelope[] }> = [];
  const beforeHooks: Envelope[] = [];
  const afterHooks: Envelope[] = [];
  const ran = new Map<string, string>();

  streams.forEach(({ label, envelopes }, index) => {
    const isFirst = index === 0;
    const ids = new Map<string, string>();
    const map = (id: string | undefined): string | undefined => (id === undefined ? undefined : (ids.get(id) ?? id));
    const newUris = new Set<string>();
    for (const envelope of envelopes) {
      if (envelope.source && !uris.has(envelope.source.uri)) newUris.add(envelope.source.uri);
    }
    for (const envelope of envelopes) {
      if (envelope.meta) {
        if (isFirst) staticEnvelopes.push(envelope);
      } else if (envelope.source || envelope.gherkinDocument) {
        const uri = envelope.source?.uri ?? envelope.gherkinDocument?.uri ?? '';
        if (newUris.has(uri)) staticEnvelopes.push(envelope);
      } else if (envelope.pickle) {
        const key = pickleKey(envelope.pickle);
        const known = pickleByKey.get(key);
        if (known) {
          ids.set(envelope.pickle.id, known.id);
          envelope.pickle.steps.forEach((step, at) => {
            const canonical = known.steps[at];
            if (canonical) ids.set(step.id, canonical.id);
          });
        } else if (newUris.has(envelope.pickle.uri)) {
          pickleByKey.set(key, envelope.pickle);
          pickleOrder.set(envelope.pickle.id, pickleOrder.size);
          staticEnvelopes.push(envelope);
        } else {
          throw new MergeError(`Cannot merge ${label}: its scenario "${envelope.pickle.name}" (${envelope.pickle.uri}:${envelope.pickle.location?.line ?? '?'}) is not in ${first!.label}'s copy of that feature. The shards ran different versions of the feature files. Run every shard on the same commit, then merge again.`);
        }
      } else if (envelope.stepDefinition || envelope.hook || envelope.parameterType || envelope.undefinedParameterType) {
        const key = definitionKey(envelope);
        const id = envelope.stepDefinition?.id ?? envelope.hook?.id ?? envelope.parameterType?.id;
        const known = definitionByKey.get(key);
        if (known !== undefined) {
          if (id) ids.set(id, known);
        } else {
          definitionByKey.set(key, id ?? key);
          staticEnvelopes.push(envelope);
        }
      } else if (envelope.testRunStarted) {
        if (isFirst) runStartedId = envelope.testRunStarted.id;
        else if (envelope.testRunStarted.id && runStartedId) ids.set(envelope.testRunStarted.id, runStartedId);
        if (!startedAt || compare(envelope.testRunStarted.timestamp, startedAt) < 0) startedAt = envelope.testRunStarted.timestamp;
      } else if (envelope.testRunFinished) {
        success &&= envelope.testRunFinished.success;
        if (envelope.testRunFinished.message) messages.push(`${label}: ${envelope.testRunFinished.message}`);
        if (!finishedAt || compare(envelope.testRunFinished.timestamp, finishedAt) > 0) finishedAt = envelope.testRunFinished.timestamp;
      }
    }
    for (const envelope of envelopes) for (const uri of envelope.source ? [envelope.source.uri] : []) uris.add(uri);

    // The dynamic part: test cases and their attempts, re-pointed at the first shard's ids.
    const orderOfTestCase = new Map<string, number>();
    const attemptOf = new Map<string, Envelope[]>();
    let seenAttempt = false;
    for (const envelope of envelopes) {
      if (envelope.testCase) {
        const pickleId = map(envelope.testCase.pickleId)!;
        const order = pickleOrder.get(pickleId) ?? Number.MAX_SAFE_INTEGER;
        if (ran.has(pickleId)) {
          throw new MergeError(`Cannot merge ${label}: it ran a scenario that ${ran.get(pickleId)} ran too (pickle ${pickleId}). Each scenario must run in exactly one shard. Pass each shard's folder once, from runs with the same --shard total.`);
        }
        ran.set(pickleId, label);
        orderOfTestCase.set(envelope.testCase.id, order);
        const testCase = {
          ...envelope.testCase,
          pickleId,
          testRunStartedId: map(envelope.testCase.testRunStartedId),
          testSteps: envelope.testCase.testSteps.map((step) => ({
            ...step,
            pickleStepId: map(step.pickleStepId),
            hookId: map(step.hookId),
            stepDefinitionIds: step.stepDefinitionIds?.map((id) => map(id)!),
          })),
        };
        testCases.push({ order, envelope: { testCase } });
      } else if (envelope.testCaseStarted) {
        seenAttempt = true;
        const list = [envelope];
        attemptOf.set(envelope.testCaseStarted.id, list);
        attempts.push({ order: orderOfTestCase.get(envelope.testCaseStarted.testCaseId) ?? Number.MAX_SAFE_INTEGER, envelopes: list });
      } else if (envelope.testStepStarted || envelope.testStepFinished || envelope.testCaseFinished || envelope.attachment?.testCaseStartedId) {
        const attempt = envelope.testStepStarted?.testCaseStartedId ?? envelope.testStepFinished?.testCaseStartedId ?? envelope.testCaseFinished?.testCaseStartedId ?? envelope.attachment?.testCaseStartedId;
        attemptOf.get(attempt ?? '')?.push(envelope);
      } else if (envelope.testRunHookStarted) {
        (seenAttempt ? afterHooks : beforeHooks).push({ testRunHookStarted: { ...envelope.testRunHookStarted, hookId: map(envelope.testRunHookStarted.hookId)!, testRunStartedId: map(envelope.testRunHookStarted.testRunStartedId)! } });
      } else if (envelope.testRunHookFinished) {
        (seenAttempt ? afterHooks : beforeHooks).push(envelope);
      }
    }
  });

  const byOrder = <T extends { order: number }>(a: T, b: T) => a.order - b.order;
  const now = latestTimestamp(streams.flatMap((stream) => stream.envelopes)) ?? { seconds: 0, nanos: 0 };
  return [
    ...staticEnvelopes,
    { testRunStarted: { id: runStartedId, timestamp: startedAt ?? now } },
    ...testCases.sort(byOrder).map((t) => t.envelope),
    ...beforeHooks,
    ...attempts.sort(byOrder).flatMap((a) => a.envelopes),
    ...afterHooks,
    { testRunFinished: { testRunStartedId: runStartedId, timestamp: finishedAt ?? now, success, ...(messages.length ? { message: messages.join('\n') } : {}) } },
  ];
}

function pickleKey(pickle: Pickle): string {
  return `${pickle.uri}:${pickle.location?.line ?? ''}:${pickle.location?.column ?? ''}:${pickle.name}:${pickle.astNodeIds.length}`;
}

function definitionKey(envelope: Envelope): string {
  if (envelope.stepDefinition) {
    const { pattern, sourceReference } = envelope.stepDefinition;
    return `step ${sourceReference.uri}:${sourceReference.location?.line} ${pattern.type} ${pattern.source}`;
  }
  if (envelope.hook) return `hook ${envelope.hook.type} ${envelope.hook.sourceReference.uri}:${envelope.hook.sourceReference.location?.line} ${envelope.hook.tagExpression ?? ''}`;
  if (envelope.parameterType) return `parameter ${envelope.parameterType.name}`;
  return `undefined parameter ${envelope.undefinedParameterType?.name} ${envelope.undefinedParameterType?.expression}`;
}

function compare(a: Timestamp, b: Timestamp): number {
  return a.seconds - b.seconds || a.nanos - b.nanos;
}

function latestTimestamp(envelopes: readonly Envelope[]): Timestamp | undefined {
  let latest: Timestamp | undefined;
  for (const envelope of envelopes) {
    const candidate = envelope.testCaseFinished?.timestamp ?? envelope.testStepFinished?.timestamp ?? envelope.testRunStarted?.timestamp ?? envelope.testRunFinished?.timestamp;
    if (candidate && (!latest || compare(candidate, latest) > 0)) latest = candidate;
  }
  return latest;
}
