export { default as AuthTimeline } from './AuthTimeline.vue'
export { barStyle, foldTimeline, type Timeline, type TimelineLogin, type TimelineRequest, type TimelineWait } from './timeline-model.js'
export { createAuthTimeline, type TimelineRecorder } from './timeline-recorder.js'
