/** Shared shapes of the reliability checker: values and their attempts, figures and examples. */

export interface Attempt {
  readonly op: string;
  readonly invokeTime: number;
  readonly outcome: 'ok' | 'fail' | 'info' | 'pending';
  readonly offset?: number;
  readonly okTime?: number;
  readonly code?: string;
}

export interface ValueInfo {
  readonly value: string;
  readonly partition: number;
  readonly producer?: { readonly id: string; readonly epoch: number };
  readonly attempts: Attempt[];
}

export interface Example {
  readonly value?: string;
  readonly partition: number;
  readonly offset?: number;
  readonly detail: string;
}

/** A count and the first few cases behind it. */
export interface Figure {
  readonly count: number;
  readonly examples: readonly Example[];
}

const MAX_EXAMPLES = 5;

/** Counts cases and keeps the first few as examples. */
export class Tally {
  count = 0;
  readonly examples: Example[] = [];
  add(example: Example): void {
    this.count += 1;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(example);
  }
  figure(): Figure {
    return { count: this.count, examples: this.examples };
  }
}
