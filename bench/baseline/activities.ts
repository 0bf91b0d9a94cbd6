/** No-op activities for the benchmark's baseline workflow. */
export interface BaselineActivities {
  noop(step: string): Promise<string>;
  noopRegular(step: string): Promise<string>;
}

export const baselineActivities: BaselineActivities = {
  async noop(step) {
    return step;
  },
  async noopRegular(step) {
    return step;
  },
};
